package io.questlog.stream.publish;

import static io.questlog.stream.TestSpark.envelope;
import static io.questlog.stream.TestSpark.kafkaRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.TestSpark;
import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.dedup.DropSeenEvents;
import io.questlog.stream.parse.Parse;
import io.questlog.contract.Routes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.metrics.source.CodegenMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTablesWriterTest {
    private static final Instant K = Instant.parse("2024-06-01T12:00:05Z");
    private static final long TS = Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();

    private static List<String> ids(Path table) {
        return TestSpark.session().read().parquet(table.toUri().toString()).orderBy("kafka_offset")
                .select("kafka_offset").collectAsList().stream().map(r -> Long.toString(r.getLong(0))).toList();
    }

    /** Writer over a warehouse in {@code wh}, 5-minute de-duplication horizon. */
    static EventTablesWriter writer(Path wh, Routes routes) {
        return new EventTablesWriter(new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE),
                routes, new DropSeenEvents(wh.resolveSibling("seen-" + wh.getFileName()).toUri().toString(), Duration.ofMinutes(5)));
    }

    @Test
    void oneBatchFeedsEventsEveryRoutedTableAndBadEvents(@TempDir Path wh) {
        Routes routes = Routes.parse(Routes.DEFAULT + ",open_chest:chests", e -> { });
        EventTablesWriter writer = writer(wh, routes);
        Map<String, Long> written = writer.publish(4, Parse.classify(kafkaRows(List.of(
                new Rec(envelope("1", "default", "u", TS, "Chrome"), 0, 1, K),
                new Rec(envelope("2", "purchase_sword", "u", TS, "Chrome"), 0, 2, K),
                new Rec(envelope("3", "join_guild", "u", TS, "Chrome"), 0, 3, K),
                new Rec(envelope("4", "purchase_sword", "v", TS, "Chrome"), 0, 4, K),
                new Rec("oops", 0, 5, K)))));

        assertThat(written).containsExactly(Map.entry("events", 4L), Map.entry("sword_purchases", 2L),
                Map.entry("guild_joins", 1L), Map.entry("chests", 0L), Map.entry("bad_events", 1L));
        assertThat(ids(wh.resolve("events"))).containsExactly("1", "2", "3", "4");
        assertThat(ids(wh.resolve("sword_purchases"))).containsExactly("2", "4");
        assertThat(ids(wh.resolve("guild_joins"))).containsExactly("3");
        assertThat(wh.resolve("chests")).doesNotExist();
        List<Row> bad = TestSpark.session().read().parquet(wh.resolve("bad_events").toUri().toString()).collectAsList();
        assertThat(bad).hasSize(1);
        assertThat(bad.get(0).getString(0)).isEqualTo("oops");
        assertThat(bad.get(0).getString(6)).isEqualTo("2024-06-01");
        assertThat(wh.resolve("bad_events/dt=2024-06-01").toFile().list())
                .anyMatch(n -> n.matches("part-000000000004-\\d+\\.parquet"));
    }

    @Test
    void eventsOfAnyAgeStayInEventsAndTheirTablesHereLatenessIsTheSessionsQuerys(@TempDir Path dir) {
        Path wh = dir.resolve("wh");
        EventTablesWriter writer = writer(wh, Routes.parse(Routes.DEFAULT, e -> { }));
        writer.publish(0, Parse.classify(kafkaRows(List.of(new Rec(envelope("n", "default", "u", TS, "Chrome"), 0, 1, K)))));
        Map<String, Long> written = writer.publish(1, Parse.classify(kafkaRows(List.of(
                new Rec(envelope("old", "purchase_sword", "u", TS - 3 * 3_600_000, "Chrome"), 0, 2, K),
                new Rec(envelope("n", "default", "u", TS, "Chrome"), 0, 3, K))))); // a retry: dropped

        assertThat(written).containsEntry("events", 1L).containsEntry("sword_purchases", 1L).containsEntry("bad_events", 0L)
                .doesNotContainKey("sessions");
        assertThat(ids(wh.resolve("events"))).containsExactly("1", "2");
        assertThat(wh.resolve("bad_events")).doesNotExist();
        assertThat(wh.resolve("sessions")).doesNotExist();
    }

    @Test
    void anEmptyBatchWritesNothing(@TempDir Path wh) throws Exception {
        EventTablesWriter writer = writer(wh, Routes.parse(Routes.DEFAULT, e -> { }));
        Map<String, Long> written = writer.publish(0, Parse.classify(kafkaRows(List.of())));
        assertThat(written.values()).containsOnly(0L);
        try (var s = Files.list(wh)) {
            assertThat(s.toList()).isEmpty();
        }
    }

    @Test
    void laterBatchesOfAStreamRunTheCodeCompiledForTheFirst(@TempDir Path dir) throws Exception {
        // each batch has its own watermark: compiled into the code, it made every batch compile (and JIT) anew
        EventTablesWriter writer = writer(dir.resolve("wh"), Routes.parse(Routes.DEFAULT, e -> { }));
        for (int b = 0; b < 4; b++) {
            List<Rec> recs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                recs.add(new Rec(envelope(b + "-" + i, i % 3 == 0 ? "purchase_sword" : "default", "u" + i % 7,
                        TS + b * 60_000L + i, "Chrome"), i % 2, b * 100L + i, K.plusSeconds(b * 60L)));
            }
            kafkaRows(recs).coalesce(1).write().mode("append").parquet(dir.resolve("topic").toUri().toString());
        }
        List<Long> compiled = new ArrayList<>();
        TestSpark.session().readStream().schema(TestSpark.KAFKA_SCHEMA).option("maxFilesPerTrigger", 1)
                .parquet(dir.resolve("topic").toUri().toString())
                .writeStream().option("checkpointLocation", dir.resolve("checkpoint").toUri().toString())
                .trigger(Trigger.AvailableNow())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, batchId) -> {
                    long before = CodegenMetrics.METRIC_COMPILATION_TIME().getCount();
                    writer.publish(batchId, Parse.classify(df));
                    compiled.add(CodegenMetrics.METRIC_COMPILATION_TIME().getCount() - before);
                })
                .start().awaitTermination();

        assertThat(compiled).hasSize(4);
        assertThat(compiled.get(0)).isPositive(); // the counter counts
        assertThat(compiled.subList(1, 4)).containsOnly(0L);
    }
}
