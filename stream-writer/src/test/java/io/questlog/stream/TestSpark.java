package io.questlog.stream;

import io.questlog.stream.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** One local SparkSession for the whole test JVM (starting one costs seconds), and Kafka-shaped rows. */
public final class TestSpark {
    public static final String TOPIC = "events";

    /** The Kafka source's columns. */
    public static final StructType KAFKA_SCHEMA = new StructType()
            .add("key", DataTypes.BinaryType)
            .add("value", DataTypes.BinaryType)
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType)
            .add("timestamp", DataTypes.TimestampType)
            .add("timestampType", DataTypes.IntegerType);

    private TestSpark() {
    }

    public static synchronized SparkSession session() {
        return Pipeline.configure(SparkSession.builder())
                .master("local[2]")
                .appName("stream-writer-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.adaptive.enabled", "false") // as the job runs (Main)
                .config("spark.default.parallelism", "2")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                // read dt back as the string it is in the tables' DDL, not as an inferred date
                .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
                .getOrCreate();
    }

    /** One Kafka record: value text (null for a tombstone), partition, offset, record timestamp. */
    public record Rec(String value, int partition, long offset, Instant timestamp) {
    }

    public static Dataset<Row> kafkaRows(List<Rec> recs) {
        List<Row> rows = new ArrayList<>();
        for (Rec r : recs) {
            rows.add(RowFactory.create(null, r.value() == null ? null : r.value().getBytes(StandardCharsets.UTF_8),
                    TOPIC, r.partition(), r.offset(), Timestamp.from(r.timestamp()), 0));
        }
        return session().createDataFrame(rows, KAFKA_SCHEMA);
    }

    /**
     * A stream that replays {@code recs} like the Kafka source would (same columns), from Parquet files
     * under {@code dir}: lets a test run streaming-only operators without a broker.
     */
    public static Dataset<Row> streamOf(List<Rec> recs, java.nio.file.Path dir) {
        kafkaRows(recs).write().mode("append").parquet(dir.toUri().toString());
        return session().readStream().schema(KAFKA_SCHEMA).parquet(dir.toUri().toString());
    }

    /** Runs {@code stream} once over everything available into a memory table and returns its rows. */
    public static List<Row> drain(Dataset<Row> stream, String name) throws Exception {
        var query = stream.writeStream().format("memory").queryName(name)
                .option("checkpointLocation", java.nio.file.Files.createTempDirectory("ckpt").toUri().toString())
                .trigger(org.apache.spark.sql.streaming.Trigger.AvailableNow()).start();
        try {
            query.awaitTermination();
            return session().table(name).collectAsList();
        } finally {
            query.stop();
        }
    }

    /** A full envelope as ingest-api writes it. */
    public static String envelope(String eventId, String type, String user, long eventTs, String browser) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"" + type + "\",\"user_id\":\"" + user
                + "\",\"event_ts\":" + eventTs + ",\"received_ts\":" + (eventTs + 5)
                + ",\"host\":\"game.example\",\"user_agent\":\"UA/1.0\",\"accept\":\"*/*\""
                + ",\"headers\":{\"x-request-id\":\"r-" + eventId + "\"}"
                + ",\"browser_family\":\"" + browser + "\",\"os_family\":\"Linux\",\"device_family\":\"Other\""
                + ",\"attributes\":{\"sword_type\":\"katana\",\"price\":100},\"schema_version\":1}";
    }
}
