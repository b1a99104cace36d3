package io.questlog.stream.dedup;

import static io.questlog.contract.EnvelopeSchema.EVENT_ID;
import static io.questlog.contract.EnvelopeSchema.USER_ID;
import static io.questlog.contract.TableCatalog.ERROR;
import static io.questlog.contract.TableCatalog.KAFKA_PARTITION;
import io.questlog.stream.spark.InternalRowPass;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;

/**
 * De-duplication on (user_id, event_id) with no shuffle and no Spark state store. ingest-api keys every record by
 * user_id, so a client's retry (same event, same user) lands in the Kafka partition of its first copy,
 * and a batch's Spark partitions are the Kafka partitions' offset ranges: each task drops the good
 * events whose key ({@link #key}: user and event_id) its Kafka partition logged within {@code horizon} of the event's Kafka
 * timestamp (earlier in the batch, or in an earlier batch: {@link SeenEventIds}), then logs the
 * batch's new ids. A batch's cost grows with the batch, not with the horizon. Bad rows are never dropped.
 * Needs the Kafka source's one Spark partition per Kafka partition (its default: no {@code minPartitions}).
 */
public final class DropSeenEvents {
    private final String dir;
    private final long horizonMs;

    /** {@code dir}: the log's folder (inside the query's checkpoint, so resetting one resets both). */
    public DropSeenEvents(String dir, Duration horizon) {
        this.dir = dir;
        this.horizonMs = horizon.toMillis();
    }

    /** {@code classified} ({@link io.questlog.stream.parse.Parse#classify} of one Kafka batch) without repeated events. */
    public Dataset<Row> apply(long batchId, Dataset<Row> classified, LongAccumulator dropped) {
        return InternalRowPass.over(classified, filter(batchId, classified, dropped));
    }

    /**
     * The task pass of {@link #apply}, to be composed with another pass over the same rows; every event it
     * drops is counted in {@code dropped} (an accepted event never disappears without a trace).
     */
    public InternalRowPass filter(long batchId, Dataset<Row> classified, LongAccumulator dropped) {
        SerializableConfiguration conf = new SerializableConfiguration(classified.sparkSession().sparkContext().hadoopConfiguration());
        String[] names = classified.columns();
        int error = index(names, ERROR);
        int id = index(names, EVENT_ID);
        int user = index(names, USER_ID);
        int partition = index(names, KAFKA_PARTITION);
        int ts = index(names, "kafka_ts");
        String dir = this.dir;
        long horizon = horizonMs;
        return rows -> new Dropping(rows, dir, horizon, batchId, conf, dropped, error, id, user, partition, ts);
    }

    /**
     * The logged key of an event: a digest of (user_id, event_id), so that two users' ids never collide (clients
     * number their events 1, 2, 3...) and a key's size does not depend on what the client sent (22 characters,
     * one line of the log whatever the user_id holds). The user's length comes first, so no two pairs share input.
     */
    static String key(UTF8String user, UTF8String eventId) {
        MessageDigest md5 = MD5.get();
        byte[] u = user.getBytes();
        md5.update(new byte[]{(byte) (u.length >>> 24), (byte) (u.length >>> 16), (byte) (u.length >>> 8), (byte) u.length});
        md5.update(u);
        md5.update(eventId.getBytes());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(md5.digest());
    }

    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("MD5"); // a key, not a secret: any well-spread 128-bit digest does
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    });

    private static int index(String[] names, String name) {
        for (int i = 0; i < names.length; i++) if (names[i].equals(name)) return i;
        throw new IllegalArgumentException("no column " + name + " among " + String.join(", ", names));
    }

    /** One task's rows, repeated events left out; logs the new ids once the rows run out. */
    private static final class Dropping implements Iterator<InternalRow> {
        private final Iterator<InternalRow> rows;
        private final String dir;
        private final long horizonMs;
        private final long batchId;
        private final SerializableConfiguration conf;
        private final LongAccumulator dropped;
        private final int error;
        private final int id;
        private final int user;
        private final int partition;
        private final int ts;
        private final Map<Integer, Batch> byPartition = new HashMap<>();
        private InternalRow next;
        private boolean done;

        /**
         * One Kafka partition in this task: what it logged before, this batch's new keys with their Kafka time, the
         * newest of those and the oldest Kafka time of any good row (which bounds what the log may forget).
         */
        private static final class Batch {
            final SeenEventIds before;
            final Map<String, Long> ids = new HashMap<>();
            long minSeenTs = Long.MAX_VALUE;
            long maxTs = Long.MIN_VALUE;

            Batch(SeenEventIds before) {
                this.before = before;
            }
        }

        Dropping(Iterator<InternalRow> rows, String dir, long horizonMs, long batchId, SerializableConfiguration conf,
                 LongAccumulator dropped, int error, int id, int user, int partition, int ts) {
            this.rows = rows;
            this.dir = dir;
            this.horizonMs = horizonMs;
            this.batchId = batchId;
            this.conf = conf;
            this.dropped = dropped;
            this.error = error;
            this.id = id;
            this.user = user;
            this.partition = partition;
            this.ts = ts;
        }

        @Override
        public boolean hasNext() {
            while (next == null && !done) {
                if (!rows.hasNext()) {
                    finish();
                    done = true;
                } else {
                    InternalRow r = rows.next();
                    if (keep(r)) next = r;
                    else dropped.add(1);
                }
            }
            return next != null;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) throw new NoSuchElementException();
            InternalRow r = next;
            next = null;
            return r;
        }

        private boolean keep(InternalRow r) {
            if (!r.isNullAt(error)) return true;
            int p = r.getInt(partition);
            long t = Math.floorDiv(r.getLong(ts), 1000); // a timestamp is epoch microseconds inside Spark
            Batch b = byPartition.computeIfAbsent(p, k -> new Batch(SeenEventIds.before(dir, k, batchId, conf.value())));
            // every good row, dropped ones too: a replay must still find the files that told this attempt to drop them
            b.minSeenTs = Math.min(b.minSeenTs, t);
            String key = key(r.getUTF8String(user), r.getUTF8String(id));
            Long first = b.ids.get(key);
            if (first != null && t - first <= horizonMs) return false;
            if (first == null && b.before.contains(key, t - horizonMs)) return false;
            if (first == null) b.ids.put(key, t);
            b.maxTs = Math.max(b.maxTs, t);
            return true;
        }

        private void finish() {
            int task = TaskContext.getPartitionId();
            byPartition.forEach((p, b) -> {
                if (!b.ids.isEmpty()) b.before.log(batchId, task, b.ids.keySet(), b.maxTs, b.minSeenTs - horizonMs);
            });
        }
    }
}
