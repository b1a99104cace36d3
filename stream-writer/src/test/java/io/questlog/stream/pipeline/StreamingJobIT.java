package io.questlog.stream.pipeline;

import static io.questlog.stream.TestSpark.envelope;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Env;
import io.questlog.stream.TestSpark;
import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.parse.Parse;
import io.questlog.stream.publish.PartitionRegistrar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The streaming query end to end, as Main wires them, with a file stream of Kafka-shaped records
 * standing in for the broker (the e2e module runs the same jar against real Kafka and HDFS).
 */
class StreamingJobIT {
    private static final Instant T = Instant.parse("2024-06-01T10:00:00Z");
    private static final Instant K = Instant.parse("2024-06-01T10:30:00Z"); // Kafka record times

    private static long at(int minutes) {
        return T.plusSeconds(minutes * 60L).toEpochMilli();
    }

    @Test
    void routedTablesSessionsAndBadEventsFromOneStreamWithoutDuplicatesAcrossRestarts(@TempDir Path dir)
            throws Exception {
        SparkSession spark = TestSpark.session();
        Path input = dir.resolve("input");
        Path wh = dir.resolve("warehouse");
        StreamConfig cfg = config(dir, wh);
        List<String> registered = Collections.synchronizedList(new ArrayList<>());
        PartitionRegistrar registrar = (table, dts) -> dts.forEach(dt -> registered.add(table + "/" + dt));

        List<StreamingQuery> queries = start(spark, cfg, registrar, input);
        try {
            addInput(input, "1", List.of(
                    new Rec(envelope("a1", "default", "alice", at(0), "Chrome"), 0, 0, K),
                    new Rec(envelope("a2", "purchase_sword", "alice", at(10), "Firefox"), 0, 1, K),
                    new Rec(envelope("b1", "join_guild", "bob", at(5), "Safari"), 1, 0, K),
                    new Rec("{\"event_type\":\"default\"}", 1, 1, K),
                    new Rec(envelope("a2", "purchase_sword", "alice", at(10), "Firefox"), 0, 2, K.plusSeconds(2))));
            processAll(queries);
            // later: a resent a1 (same event_id), dave 30 minutes before the watermark (10:10 - 10 min): late,
            // and carol three hours on, which moves the watermark past alice's and bob's sessions so they close
            addInput(input, "2", List.of(
                    new Rec(envelope("a1", "default", "alice", at(0), "Chrome"), 0, 3, K.plusSeconds(60)),
                    new Rec(envelope("d1", "default", "dave", at(-30), "Chrome"), 0, 4, K.plusSeconds(60)),
                    new Rec(envelope("c1", "join_guild", "carol", at(180), "Edge"), 1, 2, K.plusSeconds(60))));
            processAll(queries);
            waitForRows(spark, wh.resolve("sessions"), 2, queries);
        } finally {
            for (StreamingQuery q : queries) q.stop();
        }

        assertThat(ids(spark, wh.resolve("events"), "event_id")).containsExactly("a1", "a2", "b1", "c1", "d1");
        assertThat(ids(spark, wh.resolve("sword_purchases"), "event_id")).containsExactly("a2");
        assertThat(ids(spark, wh.resolve("guild_joins"), "event_id")).containsExactly("b1", "c1");
        assertThat(spark.read().parquet(wh.resolve("bad_events").toUri().toString())
                .select("error", "kafka_partition", "kafka_offset").orderBy("error").collectAsList())
                .extracting(Row::toString)
                .containsExactly("[late,0,4]", "[missing required field(s): event_id, user_id, event_ts,1,1]");
        assertThat(spark.read().parquet(wh.resolve("sessions").toUri().toString()).orderBy("user_id")
                .collectAsList()).extracting(Row::toString).containsExactly(
                "[alice,2024-06-01 10:00:00.0,2024-06-01 10:10:00.0,600,2,1,0,Chrome,Linux,Other,2024-06-01]",
                "[bob,2024-06-01 10:05:00.0,2024-06-01 10:05:00.0,0,1,0,1,Safari,Linux,Other,2024-06-01]");
        assertThat(registered).contains("events/2024-06-01", "sessions/2024-06-01", "bad_events/2024-06-01");
        List<String> published = files(wh);
        assertThat(published).allMatch(f -> f.matches("[a-z_]+/dt=\\d{4}-\\d{2}-\\d{2}/(part|closed|late)-\\d{12}-\\d+\\.parquet"));

        // a restart from the checkpoints with no new records publishes nothing again
        List<StreamingQuery> again = start(spark, cfg, registrar, input);
        try {
            processAll(again);
        } finally {
            for (StreamingQuery q : again) q.stop();
        }
        assertThat(files(wh)).isEqualTo(published);
    }

    @Test
    void aCheckpointOfTheVersionWithSparksDeduplicationStateRestarts(@TempDir Path dir) throws Exception {
        SparkSession spark = TestSpark.session();
        Path input = dir.resolve("input");
        Path wh = dir.resolve("warehouse");
        StreamConfig cfg = config(dir, wh);
        Files.createDirectories(input);
        addInput(input, "1", List.of(new Rec(envelope("a1", "default", "alice", at(0), "Chrome"), 0, 0, K)));
        // the earlier job: Spark's stateful de-duplication in the query, its state in the checkpoint
        StreamingQuery old = Parse.dropDuplicateEvents(Parse.classify(source(spark, input)), cfg.dedupHorizon())
                .writeStream().option("checkpointLocation", cfg.checkpoint(Pipeline.TABLES))
                .foreachBatch((org.apache.spark.api.java.function.VoidFunction2<Dataset<Row>, Long>) (df, id) -> df.count())
                .start();
        old.processAllAvailable();
        old.stop();
        assertThat(dir.resolve("checkpoints").resolve(Pipeline.TABLES).resolve("state")).isDirectory();

        List<StreamingQuery> queries = start(spark, cfg, (table, dt) -> { }, input);
        try {
            addInput(input, "2", List.of(new Rec(envelope("b1", "default", "bob", at(1), "Chrome"), 0, 1, K)));
            processAll(queries);
            assertThat(queries.get(0).exception().isDefined()).as("%s", queries.get(0).exception()).isFalse();
        } finally {
            for (StreamingQuery q : queries) q.stop();
        }
        assertThat(ids(spark, wh.resolve("events"), "event_id")).containsExactly("b1"); // a1 was the old job's
    }

    /** The job's config over a warehouse {@code wh} and checkpoints under {@code dir}, a 500 ms trigger, no Trino. */
    private static StreamConfig config(Path dir, Path wh) {
        return StreamConfig.from(new Env(Map.of(
                "QUESTLOG_WAREHOUSE", wh.toUri().toString(),
                "QUESTLOG_CHECKPOINTS", dir.resolve("checkpoints").toUri().toString(),
                "QUESTLOG_TRIGGER", "500 ms",
                "QUESTLOG_TRINO_JDBC", "none")));
    }

    private static List<StreamingQuery> start(SparkSession spark, StreamConfig cfg, PartitionRegistrar registrar,
                                              Path input) throws Exception {
        Files.createDirectories(input);
        Pipeline pipeline = new Pipeline(spark, cfg, registrar);
        return List.of(pipeline.startTables(source(spark, input)), pipeline.startSessions(source(spark, input)));
    }

    private static Dataset<Row> source(SparkSession spark, Path input) {
        return spark.readStream().schema(TestSpark.KAFKA_SCHEMA).option("maxFilesPerTrigger", 1)
                .parquet(input.toUri().toString());
    }

    /** Writes records aside and moves them in, so the file source never sees a half-written file. */
    private static void addInput(Path input, String name, List<Rec> recs) throws IOException {
        Path staged = input.getParent().resolve("staged-" + name);
        TestSpark.kafkaRows(recs).coalesce(1).write().parquet(staged.toUri().toString());
        try (Stream<Path> s = Files.list(staged)) {
            for (Path f : s.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList()) {
                Files.move(f, input.resolve("batch-" + name + ".parquet"));
            }
        }
    }

    private static void processAll(List<StreamingQuery> queries) {
        for (StreamingQuery q : queries) q.processAllAvailable();
    }

    /** Sessions close on a batch after the watermark moved; wait (bounded) for that batch to run. */
    private static void waitForRows(SparkSession spark, Path table, long rows, List<StreamingQuery> queries)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            for (StreamingQuery q : queries) {
                assertThat(q.exception().isDefined()).as("query %s failed: %s", q.name(), q.exception()).isFalse();
            }
            if (Files.isDirectory(table) && spark.read().parquet(table.toUri().toString()).count() >= rows) return;
            Thread.sleep(500);
        }
    }

    private static List<String> ids(SparkSession spark, Path table, String column) {
        return spark.read().parquet(table.toUri().toString()).select(column).orderBy(column).collectAsList()
                .stream().map(r -> r.getString(0)).toList();
    }

    private static List<String> files(Path wh) throws IOException {
        try (Stream<Path> s = Files.walk(wh)) {
            return s.filter(Files::isRegularFile).map(p -> wh.relativize(p).toString())
                    .filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }
}
