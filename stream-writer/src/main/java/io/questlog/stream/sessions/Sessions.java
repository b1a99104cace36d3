package io.questlog.stream.sessions;

import static io.questlog.contract.EnvelopeSchema.BROWSER_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_FAMILY;
import static io.questlog.contract.EnvelopeSchema.EVENT_ID;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.EnvelopeSchema.OS_FAMILY;
import static io.questlog.contract.EnvelopeSchema.USER_ID;
import static io.questlog.contract.TableCatalog.DURATION_S;
import static io.questlog.contract.TableCatalog.EVENT_COUNT;
import static io.questlog.contract.TableCatalog.GUILD_JOIN_COUNT;
import static io.questlog.contract.TableCatalog.PARTITION;
import static io.questlog.contract.TableCatalog.PURCHASE_COUNT;
import static io.questlog.contract.TableCatalog.SESSION_END;
import static io.questlog.contract.TableCatalog.SESSION_START;
import io.questlog.contract.EventTypes;
import io.questlog.contract.TableCatalog;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.session_window;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.unix_micros;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Per-user sessions: an event at most {@code gap} after the previous one of the same user extends
 * its session; a longer silence starts a new one (Spark's {@code session_window} merges sessions
 * whose windows touch, so a gap of exactly {@code gap} still continues the session).
 * In a streaming query a session is emitted (append mode) once the watermark passes its end.
 */
public final class Sessions {
    public static final String PURCHASE = EventTypes.PURCHASE_SWORD;
    public static final String GUILD_JOIN = EventTypes.JOIN_GUILD;

    /** Columns of {@code sessions}, in file order; {@code dt} is the partition. */
    public static final List<String> COLUMNS = TableCatalog.SESSIONS_TABLE.columnNames();

    private Sessions() {
    }

    /**
     * Repeated (user_id, event_id) pairs (a resent event) count once: in a stream, within the watermark (whatever
     * that drops as late, the session window would drop too).
     *
     * @param events rows with at least event_id, user_id, event_type, event_ts (timestamp) and the families
     * @return {@link #COLUMNS} then {@code dt} (UTC date of session_start)
     */
    public static Dataset<Row> sessionize(Dataset<Row> events, Duration gap, Duration watermark) {
        Column ts = col(EVENT_TS);
        Dataset<Row> watermarked = events.withWatermark(EVENT_TS, interval(watermark));
        Dataset<Row> unique = events.isStreaming()
                ? watermarked.dropDuplicatesWithinWatermark(USER_ID, EVENT_ID)
                : watermarked.dropDuplicates(USER_ID, EVENT_ID);
        Dataset<Row> agg = unique
                .groupBy(col(USER_ID), session_window(ts, interval(gap)))
                .agg(
                        min(ts).as(SESSION_START),
                        max(ts).as(SESSION_END),
                        count(lit(1)).as(EVENT_COUNT),
                        sum(when(col(EVENT_TYPE).equalTo(PURCHASE), 1L).otherwise(0L)).as(PURCHASE_COUNT),
                        sum(when(col(EVENT_TYPE).equalTo(GUILD_JOIN), 1L).otherwise(0L)).as(GUILD_JOIN_COUNT),
                        // the first event's families: min of a struct orders by its first field, event_ts
                        min(struct(ts.as("ts"), col(BROWSER_FAMILY).as("b"), col(OS_FAMILY).as("o"),
                                col(DEVICE_FAMILY).as("d"))).as("first"));
        Column micros = unix_micros(col(SESSION_END)).minus(unix_micros(col(SESSION_START)));
        return agg.select(
                col(USER_ID),
                col(SESSION_START),
                col(SESSION_END),
                floor(micros.divide(1_000_000L)).cast("long").as(DURATION_S),
                col(EVENT_COUNT),
                col(PURCHASE_COUNT).cast("long").as(PURCHASE_COUNT),
                col(GUILD_JOIN_COUNT).cast("long").as(GUILD_JOIN_COUNT),
                col("first.b").as(BROWSER_FAMILY),
                col("first.o").as(OS_FAMILY),
                col("first.d").as(DEVICE_FAMILY),
                date_from_unix_date(floor(unix_micros(col(SESSION_START)).divide(86_400_000_000L)).cast("int"))
                        .cast("string").as(PARTITION));
    }

    /** Spark's interval text for a duration. */
    private static String interval(Duration d) {
        return d.toMillis() + " milliseconds";
    }
}
