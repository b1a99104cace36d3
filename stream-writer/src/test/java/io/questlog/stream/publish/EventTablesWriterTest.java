package io.questlog.stream.publish;

import static io.questlog.stream.TestSpark.envelope;
import static io.questlog.stream.TestSpark.kafkaRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.StreamConfig;
import io.questlog.stream.TestSpark;
import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.parse.Parse;
import io.questlog.stream.route.Routes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventTablesWriterTest {
    private static final Instant K = Instant.parse("2024-06-01T12:00:05Z");
    private static final long TS = Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();

    private static List<String> ids(Path table) {
        return TestSpark.session().read().parquet(table.toUri().toString()).orderBy("kafka_offset")
                .select("kafka_offset").collectAsList().stream().map(r -> Long.toString(r.getLong(0))).toList();
    }

    @Test
    void oneBatchFeedsEventsEveryRoutedTableAndBadEvents(@TempDir Path wh) {
        Routes routes = Routes.parse(StreamConfig.DEFAULT_ROUTES + ",open_chest:chests", e -> { });
        EventTablesWriter writer = new EventTablesWriter(
                new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE), routes);
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
        assertThat(wh.resolve("bad_events/dt=2024-06-01/part-000000000004-0.parquet")).exists();
    }

    @Test
    void anEmptyBatchWritesNothing(@TempDir Path wh) throws Exception {
        EventTablesWriter writer = new EventTablesWriter(
                new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE),
                Routes.parse(StreamConfig.DEFAULT_ROUTES, e -> { }));
        Map<String, Long> written = writer.publish(0, Parse.classify(kafkaRows(List.of())));
        assertThat(written.values()).containsOnly(0L);
        try (var s = Files.list(wh)) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
