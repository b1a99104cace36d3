package io.questlog.stream.sessions;

import static io.questlog.contract.EnvelopeSchema.BROWSER_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_FAMILY;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.EnvelopeSchema.OS_FAMILY;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.EnvelopeSchema.USER_ID;
import static io.questlog.contract.TableCatalog.ERROR;
import io.questlog.stream.spark.InternalRowPass;
import io.questlog.stream.parse.Parse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.CollectionAccumulator;

/**
 * A batch's own sessions, gathered by the job that writes the batch instead of by a second Spark job
 * over the written events: each task passes its rows on unchanged, sessionizes the good, on-time ones
 * per user with {@link OpenSessions#combine} (the rule tested against {@code session_window}), and adds
 * its partial sessions ({@link OpenSessions#SCHEMA}) to an accumulator when its rows run out. Spark
 * applies a task's accumulator update once, from the attempt that succeeded. The rows may be split
 * among tasks in any way: the driver's {@code combine} merges one user's partials from several tasks.
 */
public final class SessionPieces {
    /**
     * Partials held per user before they are merged: bounds a task's memory by its users, not its events. A user
     * whose partials stay many after a merge (sessions far apart, as in a backlog of days) is merged again only
     * when that count has doubled, not at every event.
     */
    static final int MERGE_AT = 16;

    private SessionPieces() {
    }

    /**
     * The task pass: rows of {@code schema} (with {@code error}, {@link Parse#LATE}, user_id,
     * event_type, event_ts, received_ts, kafka_ts and the three families) passed on as they are, the sessions of
     * those that are neither bad nor late added to {@code out}, and the task's newest {@link #trustedTime} (epoch ms)
     * to {@code newest}.
     */
    public static InternalRowPass gather(StructType schema, Duration gap, CollectionAccumulator<Row> out,
                                         CollectionAccumulator<Long> newest) {
        int[] at = {schema.fieldIndex(ERROR), schema.fieldIndex(Parse.LATE), schema.fieldIndex(USER_ID),
                schema.fieldIndex(EVENT_TYPE), schema.fieldIndex(EVENT_TS), schema.fieldIndex(BROWSER_FAMILY),
                schema.fieldIndex(OS_FAMILY), schema.fieldIndex(DEVICE_FAMILY), schema.fieldIndex(RECEIVED_TS),
                schema.fieldIndex("kafka_ts")};
        return rows -> new Gathering(rows, at, gap, out, newest);
    }

    /**
     * The time an event may move the sessions' watermark to: its event time, but never later than when the
     * pipeline received it (received_ts, else the Kafka record's time). A device whose clock runs fast keeps
     * its own event_ts in the tables, but cannot push everyone else's events behind the watermark.
     * Microseconds, as Spark keeps timestamps.
     */
    static long trustedTime(long eventTsMicros, boolean receivedNull, long receivedMicros, long kafkaMicros) {
        return Math.min(eventTsMicros, receivedNull ? kafkaMicros : receivedMicros);
    }

    /** One event as a partial session of its own. */
    static Row piece(String user, Timestamp ts, String type, String browser, String os, String device) {
        return RowFactory.create(user, ts, ts, 1L, Sessions.PURCHASE.equals(type) ? 1L : 0L,
                Sessions.GUILD_JOIN.equals(type) ? 1L : 0L, RowFactory.create(ts, browser, os, device));
    }

    private static final class Gathering implements Iterator<InternalRow> {
        private final Iterator<InternalRow> rows;
        private final int[] at;
        private final Duration gap;
        private final CollectionAccumulator<Row> out;
        private final CollectionAccumulator<Long> newest;
        private final Map<String, User> byUser = new HashMap<>();
        private long newestMicros = Long.MIN_VALUE;

        /** One user's partials in this task, and the count at which they are merged next. */
        private static final class User {
            List<Row> partials = new ArrayList<>();
            int mergeAt = MERGE_AT;
        }
        private boolean flushed;

        Gathering(Iterator<InternalRow> rows, int[] at, Duration gap, CollectionAccumulator<Row> out,
                  CollectionAccumulator<Long> newest) {
            this.rows = rows;
            this.at = at;
            this.gap = gap;
            this.out = out;
            this.newest = newest;
        }

        @Override
        public boolean hasNext() {
            if (rows.hasNext()) return true;
            if (!flushed) {
                flushed = true;
                for (User u : byUser.values()) {
                    for (Row p : OpenSessions.combine(List.of(), u.partials, gap)) out.add(p);
                }
                if (newestMicros != Long.MIN_VALUE) newest.add(Math.floorDiv(newestMicros, 1000));
            }
            return false;
        }

        @Override
        public InternalRow next() {
            InternalRow r = rows.next();
            if (r.isNullAt(at[0]) && !r.getBoolean(at[1])) {
                String user = string(r, at[2]);
                long micros = r.getLong(at[4]); // epoch microseconds inside Spark
                newestMicros = Math.max(newestMicros,
                        trustedTime(micros, r.isNullAt(at[8]), r.isNullAt(at[8]) ? 0 : r.getLong(at[8]), r.getLong(at[9])));
                Timestamp t = DateTimeUtils.toJavaTimestamp(micros);
                User u = byUser.computeIfAbsent(user, k -> new User());
                u.partials.add(piece(user, t, string(r, at[3]), string(r, at[5]), string(r, at[6]), string(r, at[7])));
                if (u.partials.size() >= u.mergeAt) {
                    u.partials = new ArrayList<>(OpenSessions.combine(List.of(), u.partials, gap));
                    u.mergeAt = Math.max(MERGE_AT, 2 * u.partials.size());
                }
            }
            return r;
        }

        /** A copy: the row's bytes are reused for the next row. */
        private static String string(InternalRow r, int i) {
            UTF8String s = r.getUTF8String(i);
            return s == null ? null : s.toString();
        }
    }
}
