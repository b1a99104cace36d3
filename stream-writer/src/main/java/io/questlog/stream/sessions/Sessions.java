package io.questlog.stream.sessions;

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
        Column ts = col("event_ts");
        Dataset<Row> watermarked = events.withWatermark("event_ts", interval(watermark));
        Dataset<Row> unique = events.isStreaming()
                ? watermarked.dropDuplicatesWithinWatermark("user_id", "event_id")
                : watermarked.dropDuplicates("user_id", "event_id");
        Dataset<Row> agg = unique
                .groupBy(col("user_id"), session_window(ts, interval(gap)))
                .agg(
                        min(ts).as("session_start"),
                        max(ts).as("session_end"),
                        count(lit(1)).as("event_count"),
                        sum(when(col("event_type").equalTo(PURCHASE), 1L).otherwise(0L)).as("purchase_count"),
                        sum(when(col("event_type").equalTo(GUILD_JOIN), 1L).otherwise(0L)).as("guild_join_count"),
                        // the first event's families: min of a struct orders by its first field, event_ts
                        min(struct(ts.as("ts"), col("browser_family").as("b"), col("os_family").as("o"),
                                col("device_family").as("d"))).as("first"));
        Column micros = unix_micros(col("session_end")).minus(unix_micros(col("session_start")));
        return agg.select(
                col("user_id"),
                col("session_start"),
                col("session_end"),
                floor(micros.divide(1_000_000L)).cast("long").as("duration_s"),
                col("event_count"),
                col("purchase_count").cast("long").as("purchase_count"),
                col("guild_join_count").cast("long").as("guild_join_count"),
                col("first.b").as("browser_family"),
                col("first.o").as("os_family"),
                col("first.d").as("device_family"),
                date_from_unix_date(floor(unix_micros(col("session_start")).divide(86_400_000_000L)).cast("int"))
                        .cast("string").as("dt"));
    }

    /** Spark's interval text for a duration. */
    private static String interval(Duration d) {
        return d.toMillis() + " milliseconds";
    }
}
