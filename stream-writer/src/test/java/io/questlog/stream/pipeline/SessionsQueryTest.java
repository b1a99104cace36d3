package io.questlog.stream.pipeline;

import static io.questlog.stream.TestSpark.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Env;
import io.questlog.stream.TestSpark;
import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.publish.PartitionRegistrar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "sessions" query alone (transformWithState over the RocksDB state store, local mode), fed Kafka-shaped
 * files: the session boundary, out-of-order and repeated events, late events, the trusted clock, and a replay.
 */
class SessionsQueryTest {
    private static final Instant T = Instant.parse("2024-06-01T10:00:00Z");
    private static final Instant K = Instant.parse("2024-06-01T13:30:00Z");

    private static long at(double minutes) {
        return T.toEpochMilli() + Math.round(minutes * 60_000);
    }

    @Test
    void sessionsAndLateEventsFromTheStateStoreAndAReplayedBatchAddsNothing(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.session();
        Path input = dir.resolve("input");
        Path wh = dir.resolve("warehouse");
        StreamConfig cfg = config(dir);
        long fast = at(100);
        String fastPhone = envelope("f1", "default", "fast-phone", fast, "Chrome")
                .replace("\"received_ts\":" + (fast + 5), "\"received_ts\":" + at(40));
        StreamingQuery q = start(spark, cfg, input);
        try {
            add(input, "1", List.of(
                    new Rec(envelope("a1", "default", "alice", at(0), "Chrome"), 0, 0, K),
                    new Rec(envelope("a2", "purchase_sword", "alice", at(30), "Firefox"), 0, 1, K), // exactly the gap
                    new Rec(envelope("a2", "purchase_sword", "alice", at(30), "Firefox"), 0, 2, K), // a retry
                    // a copy of b1 written after it (a retry minted on the other instance, its own time) but read
                    // first: the copy first in Kafka keeps the event, so bob's session still ends at 10:40
                    new Rec(envelope("b1", "join_guild", "bob", at(41), "Safari"), 1, 9, K),
                    new Rec(envelope("b1", "join_guild", "bob", at(40), "Safari"), 1, 0, K),
                    new Rec(envelope("c1", "default", "carol", at(0), "Edge"), 1, 1, K),
                    new Rec(envelope("c2", "default", "carol", at(30) + 1, "Edge"), 1, 2, K), // 1 ms past the gap
                    new Rec(fastPhone, 1, 3, K))); // its clock 60 minutes fast: must not move the watermark
            q.processAllAvailable();
            // the watermark is now 10:40 - 10 min = 10:30
            add(input, "2", List.of(
                    new Rec(envelope("d1", "default", "dave", at(29), "Chrome"), 0, 3, K), // behind it: late
                    new Rec(envelope("b0", "default", "bob", at(31), "Chrome"), 1, 4, K), // on time, before b1
                    new Rec(envelope("a1", "default", "alice", at(0), "Chrome"), 0, 4, K), // a retry, not late
                    new Rec(envelope("e1", "default", "erin", at(200), "Chrome"), 1, 5, K))); // closes all but erin's
            q.processAllAvailable();
            waitFor(() -> rows(spark, wh.resolve("sessions")) >= 5, q);
        } finally {
            q.stop();
        }
        List<String> sessions = List.of(
                "[alice,2024-06-01 10:00:00.0,2024-06-01 10:30:00.0,1800,2,1,0,Chrome,Linux,Other,2024-06-01]",
                "[bob,2024-06-01 10:31:00.0,2024-06-01 10:40:00.0,540,2,0,1,Chrome,Linux,Other,2024-06-01]",
                "[carol,2024-06-01 10:00:00.0,2024-06-01 10:00:00.0,0,1,0,0,Edge,Linux,Other,2024-06-01]",
                "[carol,2024-06-01 10:30:00.001,2024-06-01 10:30:00.001,0,1,0,0,Edge,Linux,Other,2024-06-01]",
                "[fast-phone,2024-06-01 11:40:00.0,2024-06-01 11:40:00.0,0,1,0,0,Chrome,Linux,Other,2024-06-01]");
        assertThat(sorted(spark, wh.resolve("sessions"))).containsExactlyElementsOf(sessions);
        assertThat(spark.read().parquet(wh.resolve("bad_events").toUri().toString())
                .select("error", "topic", "kafka_partition", "kafka_offset", "received_ts", "dt").collectAsList())
                .extracting(Row::toString).containsExactly("[late,events,0,3,2024-06-01 13:30:00.0,2024-06-01]");
        List<String> files = files(wh);
        assertThat(files).allMatch(f -> f.matches("(sessions/dt=2024-06-01/closed|bad_events/dt=2024-06-01/late)-\\d{12}-\\d+\\.parquet"));

        // a crash after the last batch published, before Spark committed it: the batch runs again on restart,
        // from the state as of the batch before, and finds its files in place
        Path commits = dir.resolve("checkpoints").resolve(Pipeline.SESSIONS_CHECKPOINT).resolve("commits");
        long last;
        try (Stream<Path> s = Files.list(commits)) {
            last = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).mapToLong(Long::parseLong)
                    .max().orElseThrow();
        }
        assertThat(files).anyMatch(f -> f.contains(String.format("closed-%012d-", last)));
        Files.delete(commits.resolve(Long.toString(last)));
        Files.deleteIfExists(commits.resolve("." + last + ".crc"));
        StreamingQuery again = start(spark, cfg, input);
        try {
            waitFor(() -> Files.exists(commits.resolve(Long.toString(last))), again);
            again.processAllAvailable();
        } finally {
            again.stop();
        }
        assertThat(files(wh)).isEqualTo(files);
        assertThat(sorted(spark, wh.resolve("sessions"))).containsExactlyElementsOf(sessions);
    }

    /** An upgrade: open sessions the earlier version kept on the driver are the state's start, and close as usual. */
    @Test
    void carriedOpenSessionsGoOnWithTheirUsersNewEvents(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.session();
        Path input = dir.resolve("input");
        Path wh = dir.resolve("warehouse");
        StreamConfig cfg = config(dir);
        List<Row> carried = List.of(partial("alice", at(0), at(20), 3, 1, "Chrome"), partial("zed", at(5), at(5), 1, 0, "Edge"));
        StreamingQuery q = start(spark, cfg, input, carried);
        try {
            add(input, "1", List.of(
                    new Rec(envelope("a9", "purchase_sword", "alice", at(25), "Firefox"), 0, 0, K),
                    new Rec(envelope("e1", "default", "erin", at(200), "Chrome"), 1, 1, K)));
            q.processAllAvailable();
            waitFor(() -> rows(spark, wh.resolve("sessions")) >= 2, q);
        } finally {
            q.stop();
        }
        List<String> sessions = List.of(
                "[alice,2024-06-01 10:00:00.0,2024-06-01 10:25:00.0,1500,4,2,0,Chrome,Linux,Other,2024-06-01]",
                "[zed,2024-06-01 10:05:00.0,2024-06-01 10:05:00.0,0,1,0,0,Edge,Linux,Other,2024-06-01]");
        assertThat(sorted(spark, wh.resolve("sessions"))).containsExactlyElementsOf(sessions);

        // a later start (given the same sessions again) resumes from its checkpoint: nothing is carried twice
        StreamingQuery again = start(spark, cfg, input, carried);
        try {
            add(input, "2", List.of(new Rec(envelope("e2", "default", "erin", at(201), "Chrome"), 1, 2, K)));
            again.processAllAvailable();
        } finally {
            again.stop();
        }
        assertThat(sorted(spark, wh.resolve("sessions"))).containsExactlyElementsOf(sessions);
    }

    /** The job's configuration over {@code dir}: input/ (Kafka-shaped files), warehouse/, checkpoints/. */
    private static StreamConfig config(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("input"));
        return StreamConfig.from(new Env(Map.of(
                "QUESTLOG_WAREHOUSE", dir.resolve("warehouse").toUri().toString(),
                "QUESTLOG_CHECKPOINTS", dir.resolve("checkpoints").toUri().toString(),
                "QUESTLOG_TRIGGER", "200 ms",
                "QUESTLOG_TRINO_JDBC", "none")));
    }

    private static Row partial(String user, long startMs, long endMs, long events, long purchases, String browser) {
        return RowFactory.create(user, new Timestamp(startMs), new Timestamp(endMs), events, purchases, 0L,
                RowFactory.create(new Timestamp(startMs), browser, "Linux", "Other"));
    }

    private static StreamingQuery start(SparkSession spark, StreamConfig cfg, Path input) throws Exception {
        return start(spark, cfg, input, List.of());
    }

    private static StreamingQuery start(SparkSession spark, StreamConfig cfg, Path input, List<Row> carried) throws Exception {
        return new Pipeline(spark, cfg, PartitionRegistrar.NONE).startSessions(spark.readStream()
                .schema(TestSpark.KAFKA_SCHEMA).option("maxFilesPerTrigger", 1).parquet(input.toUri().toString()), carried);
    }

    private static void add(Path input, String name, List<Rec> recs) throws IOException {
        Path staged = input.getParent().resolve("staged-" + name);
        TestSpark.kafkaRows(recs).coalesce(1).write().parquet(staged.toUri().toString());
        try (Stream<Path> s = Files.list(staged)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                Files.move(f, input.resolve("batch-" + name + ".parquet"));
            }
        }
    }

    /** Sessions close in the batch after the watermark moved (Spark runs one with no data): wait for it, bounded. */
    private static void waitFor(BooleanSupplier done, StreamingQuery q) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline && !done.getAsBoolean()) {
            assertThat(q.exception().isDefined()).as("%s", q.exception()).isFalse();
            Thread.sleep(300);
        }
        assertThat(done.getAsBoolean()).as("waited 90 s").isTrue();
    }

    private static long rows(SparkSession spark, Path table) {
        return Files.isDirectory(table) ? spark.read().parquet(table.toUri().toString()).count() : 0;
    }

    private static List<String> sorted(SparkSession spark, Path table) {
        Dataset<Row> rows = spark.read().parquet(table.toUri().toString());
        return rows.orderBy("user_id", "session_start").collectAsList().stream().map(Row::toString).toList();
    }

    private static List<String> files(Path wh) throws IOException {
        try (Stream<Path> s = Files.walk(wh)) {
            return s.filter(Files::isRegularFile).map(p -> wh.relativize(p).toString())
                    .filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }
}
