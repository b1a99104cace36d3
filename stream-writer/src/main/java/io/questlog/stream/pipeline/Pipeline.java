package io.questlog.stream.pipeline;

import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.dedup.DropSeenEvents;
import io.questlog.stream.parse.Parse;
import io.questlog.stream.publish.EventTablesWriter;
import io.questlog.stream.publish.ParquetPublisher;
import io.questlog.stream.publish.PartitionRegistrar;
import io.questlog.stream.publish.Progress;
import io.questlog.stream.publish.SessionsWriter;
import io.questlog.stream.sessions.OpenSessions;
import io.questlog.stream.sessions.SessionsStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The two streaming queries, each over any DataFrame with the Kafka source's columns (tests feed one without a
 * broker). "tables", checkpoint {@code CHECKPOINTS/tables/}: parse each micro-batch once, drop repeated event_ids
 * ({@link DropSeenEvents}, no shuffle) and publish events, every routed table and bad_events ({@link EventTablesWriter}).
 * "sessions", checkpoint {@code CHECKPOINTS/sessions-state/}: sessions per user in Spark's RocksDB state store
 * ({@link SessionsStream}), closed sessions and late events published by {@link SessionsWriter}.
 */
public final class Pipeline {
    public static final String TABLES = "tables";

    public static final String SESSIONS = "sessions";

    /**
     * The sessions query's checkpoint folder: not {@code sessions}, where the two-query version of 2026 kept a
     * session_window aggregation's state, which Spark would refuse for this operator.
     */
    public static final String SESSIONS_CHECKPOINT = "sessions-state";

    /** Folder of the open sessions the one-query version kept in the tables checkpoint (no longer read). */
    public static final String SESSION_STATE = "questlog-sessions";

    /** Folder of the event_ids logged for de-duplication, inside the tables query's checkpoint. */
    public static final String SEEN_EVENT_IDS = "questlog-seen-event-ids";

    private final SparkSession spark;
    private final StreamConfig cfg;
    private final ParquetPublisher publisher;

    public Pipeline(SparkSession spark, StreamConfig cfg, PartitionRegistrar registrar) {
        this.spark = spark;
        this.cfg = cfg;
        this.publisher = new ParquetPublisher(cfg.warehouse(), spark.sparkContext().hadoopConfiguration(), registrar);
    }

    /** Session settings the job's output depends on: UTC dates and microsecond Parquet timestamps. */
    public static SparkSession.Builder configure(SparkSession.Builder builder) {
        return builder
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
                // transformWithState runs on RocksDB only; the changelog makes a batch's checkpoint its changes, not a snapshot
                .config("spark.sql.streaming.stateStore.providerClass",
                        "org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider")
                .config("spark.sql.streaming.stateStore.rocksdb.changelogCheckpointing.enabled", "true");
    }

    /** The Kafka topic as a stream. */
    public static Dataset<Row> kafka(SparkSession spark, StreamConfig cfg) {
        return kafka(spark, cfg, cfg.startingOffsets());
    }

    /** The Kafka topic as a stream; a new checkpoint starts at {@code startingOffsets} (Spark's option syntax). */
    public static Dataset<Row> kafka(SparkSession spark, StreamConfig cfg, String startingOffsets) {
        var reader = spark.readStream().format("kafka");
        if (cfg.maxOffsetsPerTrigger() > 0) reader = reader.option("maxOffsetsPerTrigger", cfg.maxOffsetsPerTrigger());
        return reader
                .option("kafka.bootstrap.servers", cfg.kafkaBootstrap())
                .option("subscribe", cfg.topic())
                .option("startingOffsets", startingOffsets)
                // past retention the checkpoint's offsets are gone: QUESTLOG_ON_DATA_LOSS decides
                .option("failOnDataLoss", String.valueOf(cfg.onDataLoss() == StreamConfig.OnDataLoss.FAIL))
                .load();
    }

    public StreamingQuery startTables(Dataset<Row> kafkaStream) throws TimeoutException {
        dropOldDeduplicationState();
        DropSeenEvents dedup = new DropSeenEvents(cfg.checkpoint(TABLES) + "/" + SEEN_EVENT_IDS, cfg.dedupHorizon());
        EventTablesWriter writer = new EventTablesWriter(publisher, cfg.routes(), dedup);
        return kafkaStream.writeStream()
                .queryName(TABLES)
                .option("checkpointLocation", cfg.checkpoint(TABLES))
                .trigger(Trigger.ProcessingTime(cfg.trigger().toMillis()))
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, batchId) ->
                        writer.publish(batchId, Parse.classify(df)))
                .start();
    }

    public StreamingQuery startSessions(Dataset<Row> kafkaStream) throws TimeoutException {
        return startSessions(kafkaStream, List.of());
    }

    /** @param carried open sessions ({@link OpenSessions#SCHEMA}) to start from, used only by a new checkpoint */
    public StreamingQuery startSessions(Dataset<Row> kafkaStream, List<Row> carried) throws TimeoutException {
        SessionsWriter writer = new SessionsWriter(spark, publisher);
        return SessionsStream.closedAndLate(Parse.classify(kafkaStream), cfg.watermark(),
                        writer.processor(cfg.sessionGap(), cfg.dedupHorizon()), spark.createDataFrame(carried, OpenSessions.SCHEMA))
                .writeStream()
                .queryName(SESSIONS)
                .option("checkpointLocation", cfg.checkpoint(SESSIONS_CHECKPOINT))
                .trigger(Trigger.ProcessingTime(cfg.trigger().toMillis()))
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, batchId) -> writer.publish(batchId, df))
                .start();
    }

    /**
     * Earlier versions de-duplicated with Spark's stateful operator; its state (the checkpoint's {@code state/})
     * makes Spark 4 refuse the query without it (STREAMING_STATEFUL_OPERATOR_NOT_MATCH_IN_STATE_METADATA).
     * The query has no stateful operator now, so that folder can only be the old one: removed, said once.
     */
    private void dropOldDeduplicationState() {
        Path state = new Path(cfg.checkpoint(TABLES), "state");
        try {
            FileSystem fs = state.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(state)) {
                Progress.log(java.time.Instant.now() + " [questlog] removing " + state + ": the state of the earlier"
                        + " de-duplication (now " + SEEN_EVENT_IDS + ", which starts empty)");
                fs.delete(state, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the earlier de-duplication state " + state, e);
        }
    }
}
