package io.questlog.stream.sessions;

import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.TableCatalog.ERROR;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;

import java.time.Duration;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.TimeMode;

/**
 * The sessions query's plan: parsed rows ({@code Parse.classify}) → good events → watermark on their trusted time →
 * per user in Spark's state store ({@link SessionProcessor}, transformWithState, event time) → closed sessions and
 * late events ({@link SessionProcessor#OUTPUT}). The state is partitioned by user over
 * {@code spark.sql.shuffle.partitions} (fixed once the query's checkpoint exists) and checkpointed with it.
 */
public final class SessionsStream {
    private static final String TRUSTED = "trusted_ts";

    private SessionsStream() {
    }

    /**
     * The time an event may move the watermark to: its event time, but never later than when the pipeline received it
     * (received_ts, else the Kafka record's time). A device whose clock runs fast keeps its own event_ts in the tables,
     * but cannot push everyone else's events behind the watermark.
     */
    public static Column trustedTime() {
        return least(col(EVENT_TS), coalesce(col(RECEIVED_TS), col("kafka_ts")));
    }

    /**
     * @param carried partial sessions ({@link OpenSessions#SCHEMA}) the state starts with at the query's first batch;
     *                Spark reads them only then, so later starts may pass the same or none
     */
    public static Dataset<Row> closedAndLate(Dataset<Row> classified, Duration watermark, SessionProcessor processor,
                                             Dataset<Row> carried) {
        Dataset<Row> events = classified.filter(col(ERROR).isNull())
                .withColumn(TRUSTED, trustedTime())
                .withWatermark(TRUSTED, watermark.toMillis() + " milliseconds")
                // the watermark column is left out: an operator input carrying it makes Spark drop rows behind the
                // watermark silently; the processor reports them as late instead
                .select(SessionProcessor.INPUT.stream().map(c -> col(c)).toArray(Column[]::new));
        MapFunction<Row, String> user = r -> r.getString(0);
        return events.groupByKey(user, Encoders.STRING())
                .transformWithState(processor, TimeMode.EventTime(), OutputMode.Append(),
                        carried.groupByKey(user, Encoders.STRING()), Encoders.row(SessionProcessor.OUTPUT),
                        Encoders.row(OpenSessions.SCHEMA));
    }

}
