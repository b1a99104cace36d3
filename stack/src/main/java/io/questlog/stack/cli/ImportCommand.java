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
import java.util.ArrayList;
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
        if (checks) staging(c, "before");

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
        Instant started = Instant.now();
        int rc = pb.start().waitFor();
        if (rc != 0 || !checks) return rc;

        System.out.println("import: waiting for the stream-writer to take in what was imported...");
        waitForIdle(c, started, Duration.ofMinutes(10));
        return staging(c, "after") ? 0 : 1;
    }

    /**
     * A landing zone given without a scheme is a local folder, relative to where the user is: with the stack's
     * HDFS configuration on the importer's classpath, Hadoop would read it as a path in HDFS.
     */
    static String location(String dir) {
        return dir.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? dir : Path.of(dir).toAbsolutePath().normalize().toUri().toString();
    }

    private static boolean streamWriterUp(StackConfig c) {
        return new Supervisor(c).running(Parts.named(Supervisor.STREAM_WRITER)).isPresent();
    }

    /** Until the stream-writer reports idle with nothing left in Kafka, after the import began. */
    private static void waitForIdle(StackConfig c, Instant after, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProgressLine> l = StreamWriterHealth.lastLine(c).flatMap(ProgressLine::parse);
            if (l.isPresent() && l.get().idleNoLag() && l.get().at().isAfter(after)) return;
            Thread.sleep(1000);
        }
        System.out.println("import: the stream-writer did not catch up within " + timeout.toMinutes() + " minutes: see " + c.log("stream-writer"));
    }

    private static boolean staging(StackConfig c, String when) {
        var results = Checks.run(new Trino(c), Checks.staging());
        System.out.print("staging checks " + when + " the import:\n" + Checks.print(results));
        return results.stream().allMatch(Checks.Result::passed);
    }
}
