package io.questlog.stack.cli;

import io.questlog.contract.ProgressLine;
import io.questlog.contract.Settings;
import io.questlog.stack.analysts.Checks;
import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Build;
import io.questlog.stack.local.Fetch;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.StreamWriterHealth;
import io.questlog.stack.local.Supervisor;
import io.questlog.stack.local.parts.Parts;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import io.questlog.stack.config.StackException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * `./questlog import [--from DIR]`: ingest-api's landing-zone import (io.questlog.ingest.landing.Import) with the
 * stack's Kafka and HDFS jars, between two runs of the staging checks: before (what the tables hold already) and
 * after the stream-writer has taken in what was imported.
 */
@Command(name = "import", description = {
        "Import every NDJSON file in DIR/pending/ through the API's validation into Kafka, then move it to",
        "DIR/processed/dt=YYYY-MM-DD/ (rejected lines beside it). Runs the staging checks before and after."})
final class ImportCommand implements Callable<Integer> {
    @ParentCommand Launcher top;
    @Mixin Launcher.Help help;
    @Option(names = "--from", paramLabel = "DIR", description = "The landing zone: a local path or hdfs:// (default: QUESTLOG_LANDING, else QUESTLOG_HOME/landing).")
    String from;
    @Option(names = "--dry-run", description = "Validate and count; send, write and move nothing.")
    boolean dryRun;
    @Option(names = "--no-checks", description = "Skip the staging checks.")
    boolean noChecks;

    @Override
    public Integer call() throws Exception {
        StackConfig c = top.config();
        boolean checks = !noChecks && !dryRun && streamWriterUp(c);
        if (!noChecks && !dryRun && !checks) System.out.println("import: the stream-writer is not running, so the staging checks are skipped");
        Set<String> failedBefore = new HashSet<>();
        if (checks) {
            try {
                failedBefore = failed(staging(c, "before"));
            } catch (StackException e) { // Trino down: the import does not need it, the stream-writer waits it out
                System.out.println("import: staging checks skipped: " + e.getMessage());
                checks = false;
            }
        }

        List<String> args = new ArrayList<>();
        if (from != null) args.addAll(List.of("--from", location(from)));
        if (dryRun) args.add("--dry-run");
        List<String> cmd = new ArrayList<>(List.of(Jvm.bin(), "-Xmx512m", "-Duser.timezone=UTC", "-cp",
                Build.jar(c, "ingest-api") + ":" + c.conf("hdfs") + ":" + Fetch.classpath(c, "hdfs"), "io.questlog.ingest.landing.Import"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put(Settings.KAFKA_BOOTSTRAP.var(), c.kafkaBootstrap());
        pb.environment().put(Settings.LANDING.var(), location(Optional.ofNullable(System.getenv(Settings.LANDING.var()))
                .orElse(c.home().resolve("landing").toString())));
        int rc = pb.start().waitFor();
        if (rc != 0 || !checks) return rc;

        // every event is acknowledged now: an idle line written after this instant means the stream-writer read them all
        Instant imported = Instant.now();
        System.out.println("import: waiting for the stream-writer to take in what was imported...");
        if (!waitForIdle(c, imported, Duration.ofMinutes(10))) return 1;
        Set<String> failedAfter = failed(staging(c, "after"));
        failedAfter.removeAll(failedBefore); // what failed before the import is not the import's doing
        if (!failedAfter.isEmpty()) System.out.println("import: the import made these checks fail: " + failedAfter);
        return failedAfter.isEmpty() ? 0 : 1;
    }

    /**
     * A landing zone given without a scheme is a local folder, relative to where the user is: with the stack's
     * HDFS configuration on the importer's classpath, Hadoop would read it as a path in HDFS.
     */
    static String location(String dir) {
        // not Path.toUri(): Hadoop's Path takes the text as it is, so a percent-encoded space would stay "%20"
        return dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? dir : "file://" + Path.of(dir).toAbsolutePath().normalize();
    }

    private static boolean streamWriterUp(StackConfig c) {
        return new Supervisor(c).running(Parts.named(c, Supervisor.STREAM_WRITER)).isPresent();
    }

    /** Until the stream-writer reports idle with nothing left in Kafka, after the import began. */
    private static boolean waitForIdle(StackConfig c, Instant after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProgressLine> l = StreamWriterHealth.lastLine(c).flatMap(ProgressLine::parse);
            if (l.isPresent() && l.get().idleNoLag() && l.get().at().isAfter(after)) return true;
            Thread.sleep(1000);
        }
        System.out.println("import: the events are in Kafka, but the stream-writer did not take them in within " + timeout.toMinutes()
                + " minutes, so the staging checks did not run: see ./questlog status and " + c.log("stream-writer"));
        return false;
    }

    private static List<Checks.Result> staging(StackConfig c, String when) {
        var results = Checks.run(new Trino(c), Checks.staging());
        System.out.print("staging checks " + when + " the import:\n" + Checks.print(results));
        return results;
    }

    private static Set<String> failed(List<Checks.Result> results) {
        return results.stream().filter(r -> !r.passed()).map(r -> r.check().name()).collect(Collectors.toCollection(HashSet::new));
    }
}
