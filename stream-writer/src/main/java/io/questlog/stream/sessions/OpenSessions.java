package io.questlog.stream.sessions;

import static io.questlog.contract.EnvelopeSchema.BROWSER_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_FAMILY;
import static io.questlog.contract.EnvelopeSchema.OS_FAMILY;
import static io.questlog.contract.EnvelopeSchema.USER_ID;
import static io.questlog.contract.TableCatalog.DURATION_S;
import static io.questlog.contract.TableCatalog.EVENT_COUNT;
import static io.questlog.contract.TableCatalog.GUILD_JOIN_COUNT;
import static io.questlog.contract.TableCatalog.PARTITION;
import static io.questlog.contract.TableCatalog.PURCHASE_COUNT;
import static io.questlog.contract.TableCatalog.SESSION_END;
import static io.questlog.contract.TableCatalog.SESSION_START;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.unix_micros;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Sessions kept across micro-batches as partial aggregates: a partial session is (user, first and last event
 * time, counts, the first event's families). {@link SessionProcessor} keeps a user's open partials in Spark's
 * state store, merges a batch's events into them ({@link #combine}) and emits those the watermark closed
 * ({@link #rows} turns them into the table's columns). Pure functions, tested on plain rows.
 */
public final class OpenSessions {
    /** The partial sessions' columns (the state saved between batches). */
    public static final StructType SCHEMA = new StructType()
            .add(USER_ID, DataTypes.StringType)
            .add(SESSION_START, DataTypes.TimestampType)
            .add(SESSION_END, DataTypes.TimestampType)
            .add(EVENT_COUNT, DataTypes.LongType)
            .add(PURCHASE_COUNT, DataTypes.LongType)
            .add(GUILD_JOIN_COUNT, DataTypes.LongType)
            .add("first", new StructType()
                    .add("ts", DataTypes.TimestampType)
                    .add("b", DataTypes.StringType)
                    .add("o", DataTypes.StringType)
                    .add("d", DataTypes.StringType));

    private OpenSessions() {
    }

    /**
     * Partial sessions merged per user by {@code session_window}'s rule: a partial starting at most {@code gap}
     * after another's last event continues it (an event's window reaches {@code gap} past it). The inputs may
     * hold one user's partials in any order and overlapping (from several tasks). Returns {@link #SCHEMA} rows,
     * by user and start.
     */
    public static List<Row> combine(List<Row> open, List<Row> batch, Duration gap) {
        long gapMicros = gap.toNanos() / 1000;
        List<Row> all = new ArrayList<>(open.size() + batch.size());
        all.addAll(open);
        all.addAll(batch);
        all.sort(Comparator.comparing((Row r) -> r.getString(0)).thenComparingLong(r -> micros(r.getTimestamp(1))));
        List<Row> out = new ArrayList<>();
        Row current = null;
        for (Row r : all) {
            if (current != null && current.getString(0).equals(r.getString(0))
                    && micros(r.getTimestamp(1)) <= micros(current.getTimestamp(2)) + gapMicros) {
                current = RowFactory.create(current.getString(0), current.getTimestamp(1),
                        later(current.getTimestamp(2), r.getTimestamp(2)),
                        current.getLong(3) + r.getLong(3), current.getLong(4) + r.getLong(4), current.getLong(5) + r.getLong(5),
                        FIRST.compare(current.getStruct(6), r.getStruct(6)) <= 0 ? current.getStruct(6) : r.getStruct(6));
            } else {
                if (current != null) out.add(current);
                current = r;
            }
        }
        if (current != null) out.add(current);
        return out;
    }

    /** One event as a partial session of its own. */
    public static Row piece(String user, Timestamp ts, String type, String browser, String os, String device) {
        return RowFactory.create(user, ts, ts, 1L, Sessions.PURCHASE.equals(type) ? 1L : 0L,
                Sessions.GUILD_JOIN.equals(type) ? 1L : 0L, RowFactory.create(ts, browser, os, device));
    }

    /** Epoch microseconds of a timestamp (Spark's precision). */
    public static long micros(Timestamp t) {
        return Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
    }

    public static Timestamp timestamp(long micros) {
        Timestamp t = new Timestamp(Math.floorDiv(micros, 1_000_000L) * 1000L);
        t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
        return t;
    }

    private static Timestamp later(Timestamp a, Timestamp b) {
        return micros(a) >= micros(b) ? a : b;
    }

    /** Spark's order of the {@code first} struct (ts, b, o, d): field by field, nulls first, as {@code min} picks it. */
    private static final Comparator<Row> FIRST = Comparator
            .comparingLong((Row f) -> micros(f.getTimestamp(0)))
            .thenComparing(f -> f.getString(1), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(f -> f.getString(2), Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(f -> f.getString(3), Comparator.nullsFirst(Comparator.naturalOrder()));

    /**
     * True for a partial ({@link #SCHEMA} row) no event at or after {@code watermarkMs} can extend: its last
     * event plus the gap lies strictly before the watermark (an event exactly {@code gap} after it still continues it).
     */
    public static boolean isClosedBefore(Row partial, long watermarkMs, Duration gap) {
        long endMicros = micros(partial.getTimestamp(2));
        return endMicros + gap.toNanos() / 1000 < watermarkMs * 1000;
    }

    /** Closed partials as rows of {@code sessions}: {@link Sessions#COLUMNS} then {@code dt}. */
    public static Dataset<Row> rows(Dataset<Row> merged) {
        Column micros = unix_micros(col(SESSION_END)).minus(unix_micros(col(SESSION_START)));
        return merged.select(
                col(USER_ID),
                col(SESSION_START),
                col(SESSION_END),
                floor(micros.divide(1_000_000L)).cast("long").as(DURATION_S),
                col(EVENT_COUNT),
                col(PURCHASE_COUNT),
                col(GUILD_JOIN_COUNT),
                col("first.b").as(BROWSER_FAMILY),
                col("first.o").as(OS_FAMILY),
                col("first.d").as(DEVICE_FAMILY),
                date_from_unix_date(floor(unix_micros(col(SESSION_START)).divide(86_400_000_000L)).cast("int"))
                        .cast("string").as(PARTITION));
    }
}
