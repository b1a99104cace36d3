package io.questlog.stack.cli;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import io.questlog.stack.local.Exec;
import io.questlog.stack.local.Fetch;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.Supervisor;
import io.questlog.stack.local.parts.Parts;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** The commands that run the local stack: up, down, status, logs, run, health, tables, presto, spark-submit. */
final class StackCommands {
    private StackCommands() {}

    static List<Part> partsOrAll(StackConfig c, List<String> names) {
        return names == null || names.isEmpty() ? Parts.of(c) : names.stream().map(n -> Parts.named(c, n)).toList();
    }

    /**
     * The config for `up`/`demo`: with --cluster the cluster topology, recorded in QUESTLOG_HOME/run/topology so that
     * later commands act on it without the flag. Refuses to switch while a part of the other topology runs.
     */
    static StackConfig topology(StackConfig c, boolean cluster) throws java.io.IOException {
        if (!cluster || c.cluster()) {
            if (c.cluster()) record(c);
            return c;
        }
        Supervisor sup = new Supervisor(c);
        List<String> running = Parts.of(c).stream().filter(p -> sup.running(p).isPresent()).map(Part::name).toList();
        if (!running.isEmpty()) {
            throw new StackException("the single-node stack is up (" + String.join(", ", running) + "): ./questlog down first, then up --cluster");
        }
        StackConfig cl = c.withCluster(true);
        record(cl);
        return cl;
    }

    private static void record(StackConfig c) throws java.io.IOException {
        io.questlog.stack.local.StateDirs.layout(c);
        Files.writeString(StackConfig.topologyFile(c.home()), c.topology() + "\n");
    }

    @Command(name = "up", description = "Start the stack (or the named parts) in the background; starts only what is down.")
    static final class Up implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;
        @Parameters(arity = "0..*", paramLabel = "PART", completionCandidates = Launcher.PartNames.class,
                description = "Parts to start (default: every part): ${COMPLETION-CANDIDATES}.")
        List<String> parts;
        @picocli.CommandLine.Option(names = "--cluster", description = {"Start the cluster topology: 3 Kafka brokers, 3 DataNodes, "
                + "Spark standalone, a Trino worker, 2 ingest-api behind HAProxy (recorded: later commands act on it)."})
        boolean cluster;

        @Override
        public Integer call() throws Exception {
            StackConfig c = topology(top.config(), cluster);
            List<Part> todo = partsOrAll(c, parts);
            Supervisor sup = new Supervisor(c);
            sup.checkPorts(todo);
            if (parts == null || parts.isEmpty()) Fetch.all(c); // else each part fetches what it needs on start
            sup.up(todo);
            return 0;
        }
    }

    // `down trino` stops Trino alone (an outage to try the pipeline against); `down` stops everything
    @Command(name = "down", description = "Stop every part that `up` started (or only the named parts).")
    static final class Down implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;
        @Parameters(arity = "0..*", paramLabel = "PART", completionCandidates = Launcher.PartNames.class,
                description = "Parts to stop (default: every part): ${COMPLETION-CANDIDATES}.")
        List<String> parts;

        @Override
        public Integer call() throws Exception {
            StackConfig c = top.config();
            Supervisor sup = new Supervisor(c);
            sup.down(partsOrAll(c, parts));
            if ((parts == null || parts.isEmpty()) && Parts.of(c).stream().allMatch(p -> sup.running(p).isEmpty())) {
                Files.deleteIfExists(StackConfig.topologyFile(c.home())); // the next `up` is single-node unless told otherwise
            }
            return 0;
        }
    }

    @Command(name = "status", description = "Each part: up/down, port, pid, memory, log; exit 1 unless every part is up.")
    static final class Status implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;

        @Override
        public Integer call() {
            return new Supervisor(top.config()).status(Parts.of(top.config())) ? 0 : 1; // like `health` and `check`: scripts can test it
        }
    }

    @Command(name = "logs", description = "The last lines of a part's log.")
    static final class Logs implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;
        @Parameters(index = "0", paramLabel = "NAME", completionCandidates = Launcher.PartNames.class,
                description = "A part (${COMPLETION-CANDIDATES}) or another log under QUESTLOG_HOME/logs (e.g. fetch-trino).")
        String name;
        @Parameters(index = "1", arity = "0..1", paramLabel = "N", defaultValue = "100", description = "How many lines.")
        int lines;

        @Override
        public Integer call() {
            StackConfig c = top.config();
            var log = c.log(name);
            if (c.cluster() && name.equals(Supervisor.STREAM_WRITER)) {
                // the job runs as a driver under a Spark Worker: its log is in the Worker's work dir
                var drivers = io.questlog.stack.local.parts.SparkStandalone.driverDirs(c);
                if (!drivers.isEmpty()) {
                    for (String f : List.of("stdout", "stderr")) {
                        System.out.println("== driver " + f + ": " + drivers.get(0).resolve(f));
                        System.out.println(io.questlog.stack.local.Logs.tail(drivers.get(0).resolve(f), lines));
                    }
                    System.out.println("== spark-submit (follows the driver): " + log);
                    lines = Math.min(lines, 10);
                }
            }
            if (!Files.exists(log)) throw new StackException("no log at " + log);
            System.out.println(io.questlog.stack.local.Logs.tail(log, lines));
            return 0;
        }
    }

    @Command(name = "run", description = "Run one part in the foreground (what each docker-compose service does).")
    static final class Run implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;
        @Parameters(paramLabel = "PART", completionCandidates = Launcher.PartNames.class, description = "${COMPLETION-CANDIDATES}")
        String part;

        @Override
        public Integer call() throws Exception {
            return new Supervisor(top.config()).runForeground(Parts.named(top.config(), part));
        }
    }

    @Command(name = "health", description = "Exit 0 if the part answers its health check (docker-compose healthchecks), else 1.")
    static final class Health implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;
        @Parameters(paramLabel = "PART", completionCandidates = Launcher.PartNames.class, description = "${COMPLETION-CANDIDATES}")
        String part;

        @Override
        public Integer call() {
            return Parts.named(top.config(), part).health().ok(top.config()) ? 0 : 1;
        }
    }

    @Command(name = "tables", description = "Create the Hive tables through HiveServer2 (idempotent).")
    static final class Tables implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Mixin Launcher.Help help;

        @Override
        public Integer call() throws Exception {
            io.questlog.stack.local.Tables.create(top.config());
            return 0;
        }
    }

    @Command(name = "presto", description = {"The interactive Trino CLI on catalog hive, schema default.",
            "ARGS go to the Trino CLI as they are (./questlog presto --help shows its own options)."})
    static final class Presto implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Parameters(arity = "0..*", paramLabel = "ARGS", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
                description = "Arguments for the Trino CLI.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            StackConfig c = top.config();
            List<String> cli = new ArrayList<>(List.of(Jvm.bin(), "-jar", Fetch.trinoCli(c).toString(),
                    "--server", c.trinoUrl(), "--catalog", "hive", "--schema", "default", "--user", "questlog"));
            cli.addAll(args);
            return Exec.interactive(cli, c.root());
        }
    }

    @Command(name = "spark-submit", description = {"Spark's spark-submit from the Maven-resolved Spark, its driver on 127.0.0.1.",
            "ARGS go to spark-submit as they are (./questlog spark-submit --help shows its own options)."})
    static final class SparkSubmit implements Callable<Integer> {
        @ParentCommand Launcher top;
        @Parameters(arity = "0..*", paramLabel = "ARGS", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
                description = "Arguments for spark-submit.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            return io.questlog.stack.local.SparkSubmit.command(top.config(), List.of(), args).inheritIO().start().waitFor();
        }
    }
}
