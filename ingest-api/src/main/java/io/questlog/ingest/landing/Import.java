package io.questlog.ingest.landing;

import io.questlog.contract.Env;
import io.questlog.contract.Settings;
import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.kafka.EventSink;
import io.questlog.ingest.kafka.KafkaEventSink;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code java -cp ingest-api.jar:<hadoop classpath> io.questlog.ingest.landing.Import [--from DIR] [--dry-run]}:
 * imports the landing zone's pending/ files into Kafka. Exit 0: every file imported (rejected lines included);
 * 1: a file unreadable or Kafka not acknowledging; 2: bad options or settings.
 */
@Command(name = "import", showDefaultValues = true, sortOptions = false,
        description = {"Sends every NDJSON file (plain or .gz) of DIR/pending/ to Kafka through ingest-api's validation and "
                + "envelope, then moves it to DIR/processed/dt=<today>/ with its rejected lines beside it.",
                "Kafka and limits come from the QUESTLOG_* settings ingest-api reads."})
public final class Import implements Callable<Integer> {
    private final Env env;

    @Option(names = "--from", paramLabel = "DIR", description = "the landing zone (file:// or hdfs://; QUESTLOG_LANDING)")
    String from;

    @Option(names = "--dry-run", description = "validate and count only: nothing is sent, written or moved")
    boolean dryRun;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    Import(Env env) {
        this.env = env;
        this.from = env.string(Settings.LANDING);
    }

    public static void main(String[] args) {
        // the clients' INFO lines (producer settings, native-library notes) would bury the import's own output
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.hadoop", "error");
        System.exit(new CommandLine(new Import(Env.system())).execute(args));
    }

    @Override
    public Integer call() {
        try {
            return importLanding();
        } catch (IOException e) {
            // the landing zone itself (not one file) cannot be listed, read or written: HDFS down, no permission...
            System.err.println("import: cannot use the landing zone " + from + ": " + e.getMessage()
                    + (from.startsWith("hdfs:") ? " (is HDFS up? `./questlog up`)" : ""));
            return 1;
        }
    }

    private int importLanding() throws IOException {
        IngestConfig cfg = IngestConfig.from(env);
        if (!env.errors().isEmpty()) {
            System.err.println("import: invalid configuration (fix these environment variables):");
            env.errors().forEach(e -> System.err.println("  " + e));
            return 2;
        }
        Path dir = new Path(from);
        FileSystem fs = dir.getFileSystem(new Configuration());
        // no .crc files beside markers and rejects on file://
        fs.setWriteChecksum(false);
        fs.setVerifyChecksum(false);
        dir = fs.makeQualified(dir);

        Path pending = new Path(dir, "pending");
        if (!fs.exists(pending)) {
            // a mistyped folder must not read as "all done"
            System.err.println("import: no landing zone at " + dir + ": put NDJSON files in " + pending + "/ (or give --from DIR)");
            return 1;
        }
        if (LandingImport.pendingFiles(fs, dir).isEmpty()) {
            System.out.println("nothing to import: no files in " + new Path(dir, "pending") + "/");
            return 0;
        }
        Optional<EventSink> sink = Optional.empty();
        try {
            if (!dryRun) {
                KafkaEventSink kafka = new KafkaEventSink(cfg);
                sink = Optional.of(kafka);
                if (!kafka.healthy()) {
                    System.err.println("import: Kafka not reachable at " + cfg.kafkaBootstrap() + ": run `./questlog up`"
                            + " (or set QUESTLOG_KAFKA_BOOTSTRAP)");
                    return 1;
                }
            }
            LandingImport landing = new LandingImport(fs, dir, cfg, sink, System.out, System.console() != null);
            System.out.println(dryRun ? "checking " + new Path(dir, "pending") + "/ (dry run: nothing is sent or moved)"
                    : "importing " + new Path(dir, "pending") + "/ into " + cfg.topic() + " at " + cfg.kafkaBootstrap());
            List<LandingImport.FileResult> results = landing.run();
            long lines = 0, sent = 0, rejected = 0, failed = 0;
            double seconds = 0;
            for (LandingImport.FileResult r : results) {
                lines += r.lines();
                sent += r.sent();
                rejected += r.rejected();
                seconds += r.seconds();
                if (r.failure().isPresent()) failed++;
            }
            System.out.println(String.format("total: %d files, %d lines, %d events %s, %d rejected, %d failed, %.1f s, %.0f events/s",
                    results.size(), lines, sent, dryRun ? "valid" : "sent", rejected, failed, seconds, seconds > 0 ? sent / seconds : 0));
            return failed == 0 ? 0 : 1;
        } finally {
            sink.ifPresent(EventSink::close);
        }
    }
}
