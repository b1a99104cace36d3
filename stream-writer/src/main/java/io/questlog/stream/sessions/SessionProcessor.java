package io.questlog.stream.sessions;

import static io.questlog.contract.EnvelopeSchema.BROWSER_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_FAMILY;
import static io.questlog.contract.EnvelopeSchema.EVENT_ID;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.EnvelopeSchema.OS_FAMILY;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.EnvelopeSchema.USER_ID;
import static io.questlog.contract.TableCatalog.EVENT_COUNT;
import static io.questlog.contract.TableCatalog.GUILD_JOIN_COUNT;
import static io.questlog.contract.TableCatalog.KAFKA_OFFSET;
import static io.questlog.contract.TableCatalog.KAFKA_PARTITION;
import static io.questlog.contract.TableCatalog.PURCHASE_COUNT;
import static io.questlog.contract.TableCatalog.RAW;
import static io.questlog.contract.TableCatalog.RAW_EVENT;
import static io.questlog.contract.TableCatalog.SESSION_END;
import static io.questlog.contract.TableCatalog.SESSION_START;
import static io.questlog.contract.TableCatalog.TOPIC;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.ExpiredTimerInfo;
import org.apache.spark.sql.streaming.ListState;
import org.apache.spark.sql.streaming.MapState;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StatefulProcessorWithInitialState;
import org.apache.spark.sql.streaming.TTLConfig;
import org.apache.spark.sql.streaming.TimeMode;
import org.apache.spark.sql.streaming.TimerValues;
import org.apache.spark.sql.streaming.ValueState;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;

/**
 * One user's sessions in Spark's state store (transformWithState, event time): the open partial sessions
 * ({@link OpenSessions#SCHEMA}, several when events come out of order) and the event_ids seen within the
 * de-duplication horizon. Runs in the executors' tasks, one state partition per key range; nothing reaches the
 * driver but closed sessions and late events. For each event of the batch: a repeated event_id is dropped; an event
 * older than the watermark ({@link TimerValues#getCurrentWatermarkInMs}, Spark's, fixed at the start of the
 * batch) is late and comes out as a {@code late} row; the rest merge into the partials by
 * {@link OpenSessions#combine}. A partial no on-time event can extend any more
 * ({@link OpenSessions#isClosedBefore}) comes out as a session; an event-time timer wakes the user up for that.
 * An event_id is kept (with its Kafka time k) until the watermark passes k + the horizon: the watermark follows
 * trusted times, which are never later than receipt, so by then Kafka's clock is past k + horizon + the watermark's
 * delay and every retry the tables query would drop has arrived (unless Kafka partitions lag each other by more than
 * that delay). A repeat after that counts again, as it does in events.
 */
public final class SessionProcessor extends StatefulProcessorWithInitialState<String, Row, Row, Row> {
    public static final String KIND = "kind";
    public static final String SESSION = "session";
    public static final String LATE = "late";

    /** The operator's input columns, in this order (no column carries the watermark: Spark would drop late rows silently). */
    public static final List<String> INPUT = List.of(USER_ID, EVENT_ID, EVENT_TYPE, EVENT_TS, BROWSER_FAMILY, OS_FAMILY,
            DEVICE_FAMILY, RAW_EVENT, TOPIC, KAFKA_PARTITION, KAFKA_OFFSET, "kafka_ts");

    /** Its output: a closed session (session columns) or a late event (the bad_events columns), told by {@link #KIND}. */
    public static final StructType OUTPUT = new StructType()
            .add(KIND, DataTypes.StringType)
            .add(USER_ID, DataTypes.StringType)
            .add(SESSION_START, DataTypes.TimestampType)
            .add(SESSION_END, DataTypes.TimestampType)
            .add(EVENT_COUNT, DataTypes.LongType)
            .add(PURCHASE_COUNT, DataTypes.LongType)
            .add(GUILD_JOIN_COUNT, DataTypes.LongType)
            .add(BROWSER_FAMILY, DataTypes.StringType)
            .add(OS_FAMILY, DataTypes.StringType)
            .add(DEVICE_FAMILY, DataTypes.StringType)
            .add(RAW, DataTypes.StringType)
            .add(TOPIC, DataTypes.StringType)
            .add(KAFKA_PARTITION, DataTypes.IntegerType)
            .add(KAFKA_OFFSET, DataTypes.LongType)
            .add(RECEIVED_TS, DataTypes.TimestampType);

    private final Duration gap;
    private final Duration dedupHorizon;
    private final LongAccumulator eventsIn;
    private final LongAccumulator duplicates;
    private final MaxAccumulator watermark;
    private transient ListState<Row> open;
    private transient MapState<String, Long> seen;
    /** The watermark at which the ids are next looked over (see {@link #forget}); absent when none is kept. */
    private transient ValueState<Long> forgetDue;

    /** The accumulators (registered on the driver) count for the progress line; they carry no state. */
    public SessionProcessor(Duration gap, Duration dedupHorizon, LongAccumulator eventsIn, LongAccumulator duplicates,
                            MaxAccumulator watermark) {
        this.gap = gap;
        this.dedupHorizon = dedupHorizon;
        this.eventsIn = eventsIn;
        this.duplicates = duplicates;
        this.watermark = watermark;
    }

    @Override
    public void init(OutputMode outputMode, TimeMode timeMode) {
        open = getHandle().getListState("open", Encoders.row(OpenSessions.SCHEMA), TTLConfig.NONE());
        // TTL is processing time, which Spark refuses in event-time mode: ids are dropped by the watermark instead (forget)
        seen = getHandle().getMapState("seen", Encoders.STRING(), Encoders.LONG(), TTLConfig.NONE());
        forgetDue = getHandle().getValueState("forget-due", Encoders.LONG(), TTLConfig.NONE());
    }

    @Override
    public Iterator<Row> handleInputRows(String user, Iterator<Row> rows, TimerValues timers) {
        long wm = timers.getCurrentWatermarkInMs();
        watermark.add(wm);
        List<Row> out = new ArrayList<>();
        List<Row> pieces = new ArrayList<>();
        Map<String, Long> batchIds = new HashMap<>();
        List<Row> batch = new ArrayList<>();
        rows.foreach(batch::add);
        // Kafka order (a user's events share a partition): of two copies of an event_id (a retry through the other
        // ingest-api, with its own received_ts) the first written is kept, as the tables query keeps it, on replays too
        batch.sort(Comparator.comparingInt((Row r) -> ((Number) r.get(9)).intValue()).thenComparingLong(r -> r.getLong(10)));
        long horizon = dedupHorizon.toMillis();
        long n = 0;
        long dups = 0;
        for (Row r : batch) {
            n++;
            String id = r.getString(1);
            Timestamp kafkaTs = r.getTimestamp(11);
            long k = kafkaTs == null ? 0L : kafkaTs.getTime();
            Long first = batchIds.containsKey(id) ? batchIds.get(id) : seen.containsKey(id) ? seen.getValue(id) : null;
            // the tables query's rule: a repeat within the horizon of the first copy's Kafka time; a later one counts again
            if (first != null && k - first <= horizon) {
                dups++;
                continue;
            }
            batchIds.put(id, k);
            seen.updateValue(id, k);
            long due = forgetAtMs(k, horizon) + slack();
            if (!forgetDue.exists() || due < forgetDue.get()) forgetDue.update(due);
            Timestamp ts = r.getTimestamp(3);
            if (ts.getTime() < wm) { // as old as the watermark is still on time, as before
                out.add(RowFactory.create(LATE, user, null, null, null, null, null, null, null, null,
                        r.getString(7), r.getString(8), r.get(9), r.get(10), kafkaTs));
            } else {
                pieces.add(OpenSessions.piece(user, ts, r.getString(2), r.getString(4), r.getString(5), r.getString(6)));
            }
        }
        eventsIn.add(n);
        duplicates.add(dups);
        update(pieces.isEmpty() ? current() : OpenSessions.combine(current(), pieces, gap), wm, out);
        return CollectionConverters.asScala(out.iterator());
    }

    /**
     * A partial session ({@link OpenSessions#SCHEMA}) carried over at the query's first batch (an upgrade from the
     * version that kept open sessions on the driver): kept like any partial, its timer set for when it closes.
     */
    @Override
    public void handleInitialState(String user, Row partial, TimerValues timers) {
        List<Row> partials = current();
        partials.add(partial);
        open.put(partials.toArray(new Row[0]));
        getHandle().registerTimer(closesAtMs(partial, gap));
    }

    @Override
    public Iterator<Row> handleExpiredTimer(String user, TimerValues timers, ExpiredTimerInfo info) {
        long wm = timers.getCurrentWatermarkInMs();
        watermark.add(wm);
        List<Row> out = new ArrayList<>();
        update(current(), wm, out);
        return CollectionConverters.asScala(out.iterator());
    }

    private List<Row> current() {
        List<Row> partials = new ArrayList<>();
        if (open.exists()) open.get().foreach(partials::add);
        return partials;
    }

    /**
     * Emits the partials the watermark closed, keeps the rest, forgets the ids it passed, and sets one timer at the
     * first watermark that closes a partial or forgets an id.
     */
    private void update(List<Row> partials, long wm, List<Row> out) {
        List<Row> still = new ArrayList<>();
        long wake = forget(wm);
        for (Row p : partials) {
            if (OpenSessions.isClosedBefore(p, wm, gap)) {
                out.add(sessionRow(p));
            } else {
                still.add(p);
                wake = Math.min(wake, closesAtMs(p, gap));
            }
        }
        if (still.isEmpty()) open.clear(); else open.put(still.toArray(new Row[0]));
        // one timer per user: left alone when it is already the right one (most batches of an active user)
        List<Object> timers = new ArrayList<>();
        getHandle().listTimers().foreach(timers::add);
        boolean set = false;
        for (Object t : timers) {
            if ((Long) t == wake && !set) set = true; else getHandle().deleteTimer((Long) t);
        }
        if (wake != Long.MAX_VALUE && !set) getHandle().registerTimer(wake);
    }

    /**
     * Drops the ids whose Kafka time + horizon the watermark passed; returns the watermark at which to look again. The
     * ids are looked over only once the watermark reaches {@link #forgetDue}, the oldest id's time to go plus
     * {@link #slack}: a user with many events in the horizon (or event times far behind Kafka's, as in a replay of
     * past hours) costs a few passes over its ids per horizon, not one every batch. An id kept a little longer
     * changes nothing: {@link #handleInputRows} compares Kafka times itself.
     */
    private long forget(long wm) {
        if (!forgetDue.exists()) return Long.MAX_VALUE;
        if (wm < forgetDue.get()) return forgetDue.get();
        long horizon = dedupHorizon.toMillis();
        long next = Long.MAX_VALUE;
        List<String> old = new ArrayList<>();
        Iterator<scala.Tuple2<String, Long>> ids = seen.iterator();
        while (ids.hasNext()) {
            scala.Tuple2<String, Long> id = ids.next();
            long forgetAt = forgetAtMs(id._2(), horizon);
            if (wm >= forgetAt) old.add(id._1()); else next = Math.min(next, forgetAt);
        }
        for (String id : old) seen.removeKey(id);
        if (next == Long.MAX_VALUE) {
            forgetDue.clear();
            return Long.MAX_VALUE;
        }
        forgetDue.update(next + slack());
        return next + slack();
    }

    /** How far past the oldest id's time the ids are looked over: a quarter of the horizon. */
    private long slack() {
        return dedupHorizon.toMillis() / 4;
    }

    /** The first watermark past {@code kafkaMs} + {@code horizonMs}. */
    static long forgetAtMs(long kafkaMs, long horizonMs) {
        return kafkaMs + horizonMs + 1;
    }

    /**
     * The first watermark (ms) that closes {@code partial}: isClosedBefore needs end + gap &lt; watermark in
     * microseconds, i.e. watermark &ge; floor((end + gap) / 1000) + 1. A timer fires at a watermark at or past
     * it, so a fired timer always finds its partial closed (Spark deletes the fired timer after the call).
     */
    static long closesAtMs(Row partial, Duration gap) {
        long endPlusGap = OpenSessions.micros(partial.getTimestamp(2)) + gap.toNanos() / 1000;
        return Math.floorDiv(endPlusGap, 1000L) + 1;
    }

    /** A closed partial as an output row. */
    static Row sessionRow(Row p) {
        Row first = p.getStruct(6);
        return RowFactory.create(SESSION, p.getString(0), p.getTimestamp(1), p.getTimestamp(2), p.getLong(3),
                p.getLong(4), p.getLong(5), first.getString(1), first.getString(2), first.getString(3),
                null, null, null, null, null);
    }
}
