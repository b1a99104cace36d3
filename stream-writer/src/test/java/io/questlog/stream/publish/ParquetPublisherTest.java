package io.questlog.stream.publish;

import static io.questlog.stream.TestSpark.envelope;
import static io.questlog.stream.TestSpark.kafkaRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.questlog.stream.TestSpark;
import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.parse.Parse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetPublisherTest {
    private static final Instant K = Instant.parse("2024-06-02T00:00:05Z");
    private static final long DAY1 = Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();
    private static final long DAY2 = Instant.parse("2024-06-02T00:00:01Z").toEpochMilli();

    /** A registrar that remembers its calls. */
    static final class Recording implements PartitionRegistrar {
        final List<String> calls = new ArrayList<>();
        int failuresLeft;

        @Override
        public void register(String table, List<String> dts) {
            String dt = String.join("+", dts);
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new IllegalStateException("metastore down");
            }
            calls.add(table + "/" + dt);
        }
    }

    private static Dataset<Row> events(Rec... recs) {
        return Parse.events(Parse.classify(kafkaRows(List.of(recs))));
    }

    private static final Dataset<Row> BATCH = events(
            new Rec(envelope("a", "default", "u1", DAY1, "Chrome"), 0, 10, K),
            new Rec(envelope("b", "purchase_sword", "u1", DAY1 + 1000, "Chrome"), 0, 11, K),
            new Rec(envelope("c", "default", "u2", DAY2, "Firefox"), 1, 12, K));

    private static List<String> files(Path table) throws IOException {
        try (Stream<Path> s = Files.walk(table)) {
            return s.filter(Files::isRegularFile).map(p -> table.relativize(p).toString())
                    .filter(n -> !n.endsWith(".crc")).sorted().toList();
        }
    }

    private static List<String> readBack(Path table) {
        return TestSpark.session().read().parquet(table.toUri().toString())
                .select("event_id", "user_id", "kafka_offset", "dt").orderBy("event_id").collectAsList().stream()
                .map(r -> r.getString(0) + "," + r.getString(1) + "," + r.getLong(2) + "," + r.getString(3)).toList();
    }

    @Test
    void publishingTheSameBatchTwiceLeavesOneCopyUnderDeterministicNames(@TempDir Path wh) throws IOException {
        Recording registrar = new Recording();
        ParquetPublisher publisher = new ParquetPublisher(wh.toUri().toString(), new Configuration(), registrar);

        // BATCH has two partitions (a | b, c): one file per task and dt, numbered by the task's partition
        ParquetPublisher.Published first = publisher.publish("events", 7, BATCH);
        assertThat(first.filesMoved()).isEqualTo(3);
        assertThat(first.dts()).containsExactly("2024-06-01", "2024-06-02");
        Path table = wh.resolve("events");
        List<String> expectedFiles = List.of(
                "dt=2024-06-01/part-000000000007-0.parquet",
                "dt=2024-06-01/part-000000000007-1000.parquet",
                "dt=2024-06-02/part-000000000007-1000.parquet");
        assertThat(files(table)).isEqualTo(expectedFiles);
        List<String> expectedRows = List.of("a,u1,10,2024-06-01", "b,u1,11,2024-06-01", "c,u2,12,2024-06-02");
        assertThat(readBack(table)).isEqualTo(expectedRows);

        // a replay of batch 7 after a crash: same names, nothing added
        ParquetPublisher.Published replay = publisher.publish("events", 7, BATCH);
        assertThat(replay.filesMoved()).isZero();
        assertThat(replay.filesSkipped()).isEqualTo(3);
        assertThat(files(table)).isEqualTo(expectedFiles);
        assertThat(readBack(table)).isEqualTo(expectedRows);
        assertThat(Files.list(table.resolve("_staging")).toList()).isEmpty();

        // a replay by a fresh process (nothing cached) after it died between two renames
        Files.delete(table.resolve(expectedFiles.get(1)));
        ParquetPublisher restarted = new ParquetPublisher(wh.toUri().toString(), new Configuration(), registrar);
        ParquetPublisher.Published resumed = restarted.publish("events", 7, BATCH);
        assertThat(resumed.filesMoved()).isEqualTo(1);
        assertThat(resumed.filesSkipped()).isEqualTo(2);
        assertThat(readBack(table)).isEqualTo(expectedRows);

        // the next batch adds a file beside, with its own batch id
        publisher.publish("events", 8, events(new Rec(envelope("d", "default", "u3", DAY2 + 5, "Chrome"), 1, 13, K)).coalesce(1));
        assertThat(files(table)).contains("dt=2024-06-02/part-000000000008-0.parquet");
        assertThat(readBack(table)).hasSize(4).contains("d,u3,13,2024-06-02");
        assertThat(registrar.calls).containsExactly(
                "events/2024-06-01+2024-06-02", // first process: one call for the batch's new dts
                "events/2024-06-01+2024-06-02"); // second process: its own cache is empty
    }

    @Test
    void aBackfillBatchSpanningAThousandDaysIsRegisteredInOneCall(@TempDir Path wh) {
        Recording registrar = new Recording();
        ParquetPublisher publisher = new ParquetPublisher(wh.toUri().toString(), new Configuration(), registrar);
        List<Rec> recs = new ArrayList<>();
        for (int day = 0; day < 1000; day++) {
            recs.add(new Rec(envelope("h" + day, "default", "u", DAY1 - day * 86_400_000L, "Chrome"), 0, day, K));
        }
        publisher.publish("events", 0, events(recs.toArray(Rec[]::new)).coalesce(1));
        assertThat(registrar.calls).hasSize(1);
        assertThat(registrar.calls.get(0).split("\\+")).hasSize(1000);
        assertThat(wh.resolve("events").toFile().list((d, n) -> n.startsWith("dt="))).hasSize(1000);
    }

    @Test
    void theRegistrarIsCalledOncePerTableForTheNewDtsOfABatchAndRetriedAfterAFailure(@TempDir Path wh) {
        Recording registrar = new Recording();
        ParquetPublisher publisher = new ParquetPublisher(wh.toUri().toString(), new Configuration(), registrar);
        registrar.failuresLeft = 1;
        assertThatThrownBy(() -> publisher.publish("guild_joins", 0, BATCH)).hasMessageContaining("metastore down");
        assertThat(wh.resolve("guild_joins/dt=2024-06-01")).isEmptyDirectory(); // made, registered later

        publisher.publish("guild_joins", 0, BATCH);
        publisher.publish("guild_joins", 1, BATCH);
        publisher.publish("sword_purchases", 1, BATCH);
        assertThat(registrar.calls).containsExactly(
                "guild_joins/2024-06-01+2024-06-02", "sword_purchases/2024-06-01+2024-06-02");
        assertThat(TestSpark.session().read().parquet(wh.resolve("guild_joins").toUri().toString()).count())
                .isEqualTo(6);
    }

    @Test
    void columnsOfDistinctValuesAreWrittenWithoutADictionary(@TempDir Path wh) throws IOException {
        List<Rec> same = new ArrayList<>();
        for (int i = 0; i < 100; i++) same.add(new Rec(envelope("a", "default", "u1", DAY1, "Chrome"), 0, i, K));
        new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE)
                .publish("events", 3, events(same.toArray(Rec[]::new)).coalesce(1));
        Path file = wh.resolve("events/dt=2024-06-01/part-000000000003-0.parquet");
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))) {
            var chunks = reader.getFooter().getBlocks().get(0).getColumns();
            // 100 equal values: any column given the chance keeps its dictionary
            assertThat(chunks).filteredOn(c -> c.getPath().toDotString().equals("user_id")).singleElement()
                    .satisfies(c -> assertThat(c.hasDictionaryPage()).isTrue());
            for (String column : ParquetPublisher.NO_DICTIONARY) {
                assertThat(chunks).filteredOn(c -> c.getPath().toDotString().equals(column))
                        .allSatisfy(c -> assertThat(c.hasDictionaryPage()).as(column).isFalse());
            }
        }
    }

    @Test
    void filesHoldTheTableColumnsWithMicrosecondTimestampsAndNoDt(@TempDir Path wh) throws IOException {
        new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE)
                .publish("events", 3, BATCH.coalesce(1));
        Path file = wh.resolve("events/dt=2024-06-01/part-000000000003-0.parquet");
        Configuration conf = new Configuration();
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(file.toUri()), conf))) {
            MessageType schema = reader.getFooter().getFileMetaData().getSchema();
            assertThat(schema.getFields()).extracting(f -> f.getName()).containsExactlyElementsOf(Parse.EVENT_COLUMNS);
            assertThat(schema.getType("event_ts").getLogicalTypeAnnotation())
                    .isEqualTo(LogicalTypeAnnotation.timestampType(true, LogicalTypeAnnotation.TimeUnit.MICROS));
            assertThat(reader.getRecordCount()).isEqualTo(2);

        }
    }
}
