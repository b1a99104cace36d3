package io.questlog.stream.publish;

import static io.questlog.contract.TableCatalog.ERROR;
import static io.questlog.contract.TableCatalog.KAFKA_OFFSET;
import static io.questlog.contract.TableCatalog.KAFKA_PARTITION;
import static io.questlog.contract.TableCatalog.RAW;
import static io.questlog.contract.TableCatalog.TOPIC;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.unix_millis;

import io.questlog.stream.parse.Parse;
import io.questlog.stream.sessions.MaxAccumulator;
import io.questlog.stream.sessions.OpenSessions;
import io.questlog.stream.sessions.SessionProcessor;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The "sessions" query's batch function: the closed sessions and late events that batch's
 * {@link SessionProcessor} emitted, published to {@code sessions} (prefix {@code closed}: the earlier one-query
 * version named its files {@code sess-<batch of the tables query>}, and a name taken means "published") and
 * {@code bad_events} (prefix {@code late}, error {@code late}): one partition each, so a replayed batch (Spark reloads the state as of
 * the batch before, so it emits the same rows) finds its file names taken and adds nothing. Only those rows reach
 * the driver's plan; they are written by the executors.
 */
public final class SessionsWriter {
    public static final String SESSIONS = EventTablesWriter.SESSIONS;
    public static final String BAD_EVENTS = EventTablesWriter.BAD_EVENTS;

    private final ParquetPublisher publisher;
    private final LongAccumulator eventsIn;
    private final LongAccumulator duplicates;
    private final MaxAccumulator watermark;
    private long lastWatermark = Long.MIN_VALUE;

    /** A writer and the accumulators its processor counts into (registered here, on the driver). */
    public SessionsWriter(SparkSession spark, ParquetPublisher publisher) {
        this.publisher = publisher;
        this.eventsIn = spark.sparkContext().longAccumulator("questlog-sessions-events");
        this.duplicates = spark.sparkContext().longAccumulator("questlog-sessions-duplicates");
        this.watermark = new MaxAccumulator();
        spark.sparkContext().register(watermark, "questlog-sessions-watermark");
    }

    public SessionProcessor processor(java.time.Duration gap, java.time.Duration dedupHorizon) {
        return new SessionProcessor(gap, dedupHorizon, eventsIn, duplicates, watermark);
    }

    /** Rows published per table. */
    public Map<String, Long> publish(long batchId, Dataset<Row> out) {
        long start = System.currentTimeMillis();
        eventsIn.reset();
        duplicates.reset();
        watermark.reset();
        // the state is updated once, by the first job over the batch: later reads come from the cache
        Dataset<Row> cached = out.persist();
        try {
            long closed = 0;
            long late = 0;
            for (Row r : cached.groupBy(SessionProcessor.KIND).count().collectAsList()) {
                if (r.getString(0).equals(SessionProcessor.SESSION)) closed = r.getLong(1); else late = r.getLong(1);
            }
            long stateMs = System.currentTimeMillis() - start;
            if (closed > 0) {
                publisher.publish(SESSIONS, batchId, OpenSessions.rows(cached
                        .filter(col(SessionProcessor.KIND).equalTo(SessionProcessor.SESSION))
                        .select(col("user_id"), col("session_start"), col("session_end"), col("event_count"),
                                col("purchase_count"), col("guild_join_count"), struct(col("session_start").as("ts"),
                                        col("browser_family").as("b"), col("os_family").as("o"),
                                        col("device_family").as("d")).as("first")))
                        .coalesce(1), "closed");
            }
            if (late > 0) {
                publisher.publish(BAD_EVENTS, batchId, cached.filter(col(SessionProcessor.KIND).equalTo(SessionProcessor.LATE))
                        .select(col(RAW), lit(Parse.LATE).as(ERROR), col(TOPIC), col(KAFKA_PARTITION), col(KAFKA_OFFSET),
                                col(RECEIVED_TS), Parse.utcDate(unix_millis(col(RECEIVED_TS))).as(Parse.DT))
                        .coalesce(1), "late");
            }
            if (!watermark.isZero()) lastWatermark = Math.max(lastWatermark, watermark.value());
            Map<String, Long> byTable = new LinkedHashMap<>();
            byTable.put(SESSIONS, closed);
            byTable.put(BAD_EVENTS, late);
            StreamMetrics.INSTANCE.batch(0, 0, 0, late, closed);
            String wm = lastWatermark <= 0 ? "none" : Instant.ofEpochMilli(lastWatermark).toString();
            Progress.log(Progress.line("sessions", batchId, eventsIn.value(), byTable, 0, late, duplicates.value(), wm,
                    System.currentTimeMillis() - start) + " phases_ms=state:" + stateMs + ",publish:"
                    + (System.currentTimeMillis() - start - stateMs));
            return byTable;
        } finally {
            cached.unpersist();
        }
    }
}
