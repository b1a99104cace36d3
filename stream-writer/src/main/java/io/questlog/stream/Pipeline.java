package io.questlog.stream;

import io.questlog.stream.parse.Parse;
import io.questlog.stream.publish.EventTablesWriter;
import io.questlog.stream.publish.ParquetPublisher;
import io.questlog.stream.publish.PartitionRegistrar;
import io.questlog.stream.publish.SessionsWriter;
import io.questlog.stream.sessions.Sessions;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The two streaming queries, each with its own checkpoint {@code CHECKPOINTS/<query>/}:
 * "tables" (parse once, drop repeated event_ids, publish events + routed tables + bad_events from
 * one read) and "sessions" (parse, drop repeated event_ids, sessionize, publish closed sessions). The source is any
 * DataFrame with the Kafka source's columns, so tests can feed one without a broker.
 */
public final class Pipeline {
    public static final String TABLES = "tables";
    public static final String SESSIONS = "sessions";

    private final StreamConfig cfg;
    private final ParquetPublisher publisher;

    public Pipeline(SparkSession spark, StreamConfig cfg, PartitionRegistrar registrar) {
        this.cfg = cfg;
        this.publisher = new ParquetPublisher(cfg.warehouse(), spark.sparkContext().hadoopConfiguration(), registrar);
    }

    /** Session settings the job's output depends on: UTC dates and microsecond Parquet timestamps. */
    public static SparkSession.Builder configure(SparkSession.Builder builder) {
        return builder
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS");
    }

    /** The Kafka topic as a stream. */
    public static Dataset<Row> kafka(SparkSession spark, StreamConfig cfg) {
        return spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", cfg.kafkaBootstrap())
                .option("subscribe", cfg.topic())
                .option("startingOffsets", cfg.startingOffsets())
                // past retention the checkpoint's offsets are gone: go on from the earliest kept
                .option("failOnDataLoss", "false")
                .load();
    }

    public StreamingQuery startTables(Dataset<Row> kafkaStream) throws TimeoutException {
        EventTablesWriter writer = new EventTablesWriter(publisher, cfg.routes());
        Dataset<Row> parsed = Parse.dropDuplicateEvents(Parse.classify(kafkaStream), cfg.watermark());
        return parsed.writeStream()
                .queryName(TABLES)
                .option("checkpointLocation", cfg.checkpoint(TABLES))
                .trigger(Trigger.ProcessingTime(cfg.trigger().toMillis()))
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, batchId) -> writer.publish(batchId, df))
                .start();
    }

    public StreamingQuery startSessions(Dataset<Row> kafkaStream) throws TimeoutException {
        SessionsWriter writer = new SessionsWriter(publisher);
        Dataset<Row> sessions = Sessions.sessionize(Parse.events(Parse.classify(kafkaStream)),
                cfg.sessionGap(), cfg.watermark());
        return sessions.writeStream()
                .queryName(SESSIONS)
                .outputMode("append")
                .option("checkpointLocation", cfg.checkpoint(SESSIONS))
                .trigger(Trigger.ProcessingTime(cfg.trigger().toMillis()))
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, batchId) -> writer.publish(batchId, df))
                .start();
    }
}
