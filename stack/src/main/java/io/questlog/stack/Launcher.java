package io.questlog.stack;

import io.questlog.contract.Env;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** `./questlog COMMAND`: the local stack and what users do with it. */
public final class Launcher {
    static final String USAGE = """
            usage: ./questlog COMMAND
              demo                 build if needed, start the stack, create tables, drive load, wait, print the answers
              up [PART...]         start the stack (or the named parts) in the background; starts only what is down
              down [PART...]       stop every part that `up` started (or only the named parts)
              status               each part: up/down, port, pid, log; non-zero exit unless every part is up
              logs NAME            the last lines of a part's log (parts: kafka namenode datanode metastore
                                   hiveserver2 trino ingest-api stream-writer)
              run PART             run one part in the foreground (what each docker-compose service does)
              health PART          exit 0 if the part answers its health check (docker-compose healthchecks)
              tables               create the Hive tables through HiveServer2 (idempotent)
              sql [--csv|--json] "SELECT ..."   one Presto SQL statement against the local Trino, printed as a table
              query [NAME] [--csv|--json]      a named analysts' query from loadgen/queries/ (no NAME: the list)
              sessions --group-key KEY         sessions per browser_family|os_family|device_family into
                                               output/sessions_by_KEY.json
              sessions --batch     recompute sessions from `events` with Spark and compare with the stream's
              check                data-quality checks through Trino (non-zero exit on a failure)
              report               output/report.html: the analysts' charts in one self-contained page
              presto               the interactive Trino CLI on catalog hive, schema default
              load ab|users ARGS   drive traffic: the ab scripts, or the generator of users and sessions
              spark-submit ARGS    Spark's spark-submit from the Maven-resolved Spark
              compact [TABLE] [DT] merge a partition's small Parquet files while queries run (no DT: every dt
                                   before today; no TABLE: every table)
            settings: QUESTLOG_* environment variables (see README.md)
            """;

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return;
        }
        try {
            System.exit(run(StackConfig.from(Env.system()), args[0], Arrays.asList(args).subList(1, args.length)));
        } catch (StackException | IllegalArgumentException e) {
            System.err.println("questlog: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(StackConfig c, String cmd, List<String> args) throws Exception {
        Supervisor sup = new Supervisor(c);
        switch (cmd) {
            case "up" -> {
                List<Part> parts = args.isEmpty() ? Parts.all() : args.stream().map(Parts::named).toList();
                if (args.isEmpty()) fetchAll(c); // else each part fetches what it needs on start
                sup.up(parts);
            }
            // `down trino` stops Trino alone (an outage to try the pipeline against); `down` stops everything
            case "down" -> sup.down(args.isEmpty() ? Parts.all() : args.stream().map(Parts::named).toList());
            case "status" -> {
                return sup.status(Parts.all()) ? 0 : 1; // like `health` and `check`: scripts can test it
            }
            case "logs" -> {
                if (args.isEmpty()) throw new StackException("which log? ./questlog logs NAME");
                var log = c.log(args.get(0));
                if (!Files.exists(log)) throw new StackException("no log at " + log);
                System.out.println(Logs.tail(log, args.size() > 1 ? Integer.parseInt(args.get(1)) : 100));
            }
            case "run" -> {
                return sup.runForeground(Parts.named(oneArg(args, "run PART")));
            }
            case "health" -> {
                return Parts.named(oneArg(args, "health PART")).health().ok(c) ? 0 : 1;
            }
            case "tables" -> Tables.create(c);
            case "sql" -> {
                List<String> a = new ArrayList<>(args);
                ResultFormat f = ResultFormat.take(a);
                if (a.isEmpty()) throw new StackException("./questlog sql [--csv|--json] \"SELECT ...\"");
                System.out.print(f.format(new Trino(c).query(String.join(" ", a))));
            }
            case "query" -> {
                NamedQueries q = new NamedQueries(c.root());
                List<String> a = new ArrayList<>(args);
                a.sort((x, y) -> Boolean.compare(!x.startsWith("--"), !y.startsWith("--"))); // flags first
                ResultFormat f = ResultFormat.take(a);
                if (a.isEmpty()) {
                    q.titles().forEach((n, t) -> System.out.printf("%-28s %s%n", n, t));
                } else {
                    System.out.print(f.format(new Trino(c).query(q.sql(a.get(0)))));
                }
            }
            case "sessions" -> {
                if (args.size() == 2 && args.get(0).equals("--group-key")) {
                    var counts = SessionCounts.count(new Trino(c), args.get(1));
                    System.out.println(SessionCounts.write(c.outputDir(), args.get(1), counts) + ": " + counts);
                } else if (args.size() == 1 && args.get(0).equals("--batch")) {
                    return BatchSessions.run(c);
                } else {
                    throw new StackException("./questlog sessions --group-key browser_family|os_family|device_family, or --batch");
                }
            }
            case "check" -> {
                Trino trino = new Trino(c);
                var results = Checks.run(trino, Checks.all(trino, c.maxBadRate()));
                System.out.print(Checks.print(results));
                return results.stream().allMatch(Checks.Result::passed) ? 0 : 1;
            }
            case "report" -> {
                var charts = Report.build(new Trino(c), new NamedQueries(c.root()));
                String subtitle = "Made " + java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                        + " from Trino at " + c.trinoUrl();
                System.out.println("report: " + Report.write(c.outputDir(), Report.render(charts, subtitle)));
            }
            case "presto" -> {
                List<String> cli = new ArrayList<>(List.of(Parts.javaBin(), "-jar", Fetch.trinoCli(c).toString(),
                        "--server", c.trinoUrl(), "--catalog", "hive", "--schema", "default", "--user", "questlog"));
                cli.addAll(args);
                return Exec.interactive(cli, c.root());
            }
            case "load" -> {
                return Load.run(c, args);
            }
            case "spark-submit" -> {
                return Parts.sparkSubmit(c, List.of(), args).inheritIO().start().waitFor();
            }
            case "compact" -> {
                return CompactCommand.run(c, args);
            }
            case "demo" -> Demo.run(c);
            default -> {
                System.err.print("unknown command: " + cmd + "\n" + USAGE);
                return 2;
            }
        }
        return 0;
    }

    private static String oneArg(List<String> args, String usage) {
        if (args.size() != 1) throw new StackException("usage: ./questlog " + usage);
        return args.get(0);
    }

    static void fetchAll(StackConfig c) throws Exception {
        for (String lib : Fetch.LIBS) {
            Fetch.classpath(c, lib);
        }
        Fetch.trinoServer(c);
        Jdks.forTrino(c);
    }
}
