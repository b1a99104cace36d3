/*
 * bench-only: the design before sessions moved to Spark's state store (stream-writer up to 2026-12-02), kept to be
 * measured against it in the same bench run. The tables query's batch function sessionized its batch in the write
 * job's tasks (Pieces), collected the partial sessions to the driver (CollectionAccumulator), merged them there with
 * the previous batch's open sessions (OpenSessions.combine) and saved those as a list per batch (Store). Compiled by
 * bench/state against stream-writer.jar; not part of the job.
 */
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.questlog.contract.Routes;
import io.questlog.stream.dedup.DropSeenEvents;
import io.questlog.stream.parse.Parse;
import io.questlog.stream.publish.ParquetPublisher;
import io.questlog.stream.route.FanOut;
import io.questlog.stream.sessions.OpenSessions;
import io.questlog.stream.sessions.Sessions;
import io.questlog.stream.spark.InternalRowPass;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.DateTimeUtils;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import static io.questlog.contract.EnvelopeSchema.BROWSER_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_FAMILY;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.EnvelopeSchema.OS_FAMILY;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.EnvelopeSchema.USER_ID;
import static io.questlog.contract.TableCatalog.ERROR;
import static org.apache.spark.sql.functions.col;

public final class DriverMergeBaseline {
    private final ParquetPublisher publisher;
    private final Routes routes;
    private final Store sessions;
    private final Duration gap;
    private final Duration watermark;
    private final DropSeenEvents dedup;

    public DriverMergeBaseline(ParquetPublisher publisher, Routes routes, String stateDir, org.apache.hadoop.conf.Configuration conf,
                               Duration gap, Duration watermark, DropSeenEvents dedup) {
        this.publisher = publisher;
        this.routes = routes;
        this.sessions = new Store(stateDir, conf);
        this.gap = gap;
        this.watermark = watermark;
        this.dedup = dedup;
    }

    /** The old batch function (events, routed tables, bad_events with late rows, closed sessions); returns open sessions. */
    public long publish(long batchId, Dataset<Row> classified) {
        Store.Snapshot before = sessions.before(batchId);
        OptionalLong lateBefore = before.maxEventTsMs().isPresent()
                ? OptionalLong.of(before.maxEventTsMs().getAsLong() - watermark.toMillis()) : OptionalLong.empty();
        SparkSession spark = classified.sparkSession();
        Dataset<Row> marked = Parse.markLate(classified, lateBefore);
        CollectionAccumulator<Row> pieces = spark.sparkContext().collectionAccumulator("questlog-sessions-" + batchId);
        CollectionAccumulator<Long> newest = spark.sparkContext().collectionAccumulator("questlog-newest-" + batchId);
        LongAccumulator duplicates = spark.sparkContext().longAccumulator("questlog-duplicates-" + batchId);
        InternalRowPass pass = dedup.filter(batchId, marked, duplicates).then(Pieces.gather(marked.schema(), gap, pieces, newest));
        Dataset<Row> kept = InternalRowPass.over(marked, pass);
        Map<String, org.apache.hadoop.fs.Path> staged = publisher.stage(batchId, FanOut.rows(kept, routes), FanOut.TABLE);
        try {
            long batchMax = newest.value().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
            long open = before.open().size();
            if (!pieces.isZero()) {
                long newMax = Math.max(before.maxEventTsMs().orElse(Long.MIN_VALUE), batchMax);
                long wmAfter = newMax - watermark.toMillis();
                List<Row> merged = OpenSessions.combine(before.open(), pieces.value(), gap);
                List<Row> done = new ArrayList<>();
                List<Row> stillOpen = new ArrayList<>();
                for (Row r : merged) (OpenSessions.isClosedBefore(r, wmAfter, gap) ? done : stillOpen).add(r);
                if (!done.isEmpty()) {
                    publisher.publish("sessions", batchId, OpenSessions.rows(spark.createDataFrame(done, OpenSessions.SCHEMA)).coalesce(1), "sess");
                }
                sessions.save(batchId, stillOpen, newMax);
                open = stillOpen.size();
            }
            for (Map.Entry<String, org.apache.hadoop.fs.Path> t : staged.entrySet()) {
                if (t.getKey().equals(FanOut.BAD_EVENTS)) {
                    publisher.publish(FanOut.BAD_EVENTS, batchId, FanOut.badEvents(spark.read().parquet(t.getValue().toString())).coalesce(1));
                } else {
                    publisher.publishStaged(t.getKey(), batchId, t.getValue(), "part");
                }
            }
            return open;
        } finally {
            publisher.dropStaged(batchId);
        }
    }

    static final class Store {
        private static final String MAX_FILE = "max_event_ts";
        private static final String OPEN_FILE = "open.jsonl";
        private static final ObjectMapper JSON = new ObjectMapper();

        private final Path dir;
        private final FileSystem fs;

        /** What batch N starts from. {@code maxEventTsMs} is empty before the first event. */
        public record Snapshot(List<Row> open, OptionalLong maxEventTsMs) {
        }

        public Store(String dir, Configuration conf) {
            this.dir = new Path(dir);
            try {
                this.fs = this.dir.getFileSystem(conf);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot open the file system of " + dir, e);
            }
        }

        public Snapshot before(long batchId) {
            try {
                long v = latestBelow(batchId);
                if (v < 0) return new Snapshot(List.of(), OptionalLong.empty());
                Path version = versionPath(v);
                long max;
                try (var in = fs.open(new Path(version, MAX_FILE))) {
                    max = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
                }
                List<Row> open = new ArrayList<>();
                try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(new Path(version, OPEN_FILE)), StandardCharsets.UTF_8))) {
                    for (String line = r.readLine(); line != null; line = r.readLine()) {
                        if (!line.isBlank()) open.add(fromJson(JSON.readTree(line)));
                    }
                }
                return new Snapshot(open, OptionalLong.of(max));
            } catch (IOException e) {
                throw new UncheckedIOException("Reading open sessions before batch " + batchId + " from " + dir + " failed", e);
            }
        }

        /**
         * Saves batch {@code batchId}'s open sessions and newest event time, then drops the versions no replay can
         * need: those older than the one batch {@code batchId} started from (a replay of it reads that one again;
         * batches with no good events save nothing, so it can be many batches back).
         */
        public void save(long batchId, List<Row> open, long maxEventTsMs) {
            Path tmp = new Path(dir, "_tmp-" + String.format("%012d", batchId));
            Path target = versionPath(batchId);
            try {
                long startedFrom = latestBelow(batchId);
                fs.delete(tmp, true);
                fs.mkdirs(tmp);
                try (Writer w = new java.io.OutputStreamWriter(fs.create(new Path(tmp, OPEN_FILE), true), StandardCharsets.UTF_8)) {
                    for (Row r : open) w.write(toJson(r) + "\n");
                }
                try (var out = fs.create(new Path(tmp, MAX_FILE), true)) {
                    out.write(Long.toString(maxEventTsMs).getBytes(StandardCharsets.UTF_8));
                }
                fs.delete(target, true);
                if (!fs.rename(tmp, target)) throw new IOException("rename " + tmp + " -> " + target + " failed");
                for (long v : versions()) {
                    if (v < startedFrom) fs.delete(versionPath(v), true);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Saving open sessions of batch " + batchId + " to " + dir + " failed", e);
            }
        }

        static String toJson(Row r) {
            ArrayNode a = JSON.createArrayNode();
            a.add(r.getString(0));
            a.add(micros(r.getTimestamp(1)));
            a.add(micros(r.getTimestamp(2)));
            a.add(r.getLong(3));
            a.add(r.getLong(4));
            a.add(r.getLong(5));
            Row first = r.getStruct(6);
            a.add(micros(first.getTimestamp(0)));
            for (int i = 1; i <= 3; i++) {
                if (first.isNullAt(i)) a.addNull(); else a.add(first.getString(i));
            }
            return a.toString();
        }

        static Row fromJson(JsonNode a) {
            return RowFactory.create(a.get(0).asText(), timestamp(a.get(1).asLong()), timestamp(a.get(2).asLong()),
                    a.get(3).asLong(), a.get(4).asLong(), a.get(5).asLong(),
                    RowFactory.create(timestamp(a.get(6).asLong()), text(a.get(7)), text(a.get(8)), text(a.get(9))));
        }

        private static String text(JsonNode n) {
            return n == null || n.isNull() ? null : n.asText();
        }

        static long micros(Timestamp t) {
            return Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
        }

        static Timestamp timestamp(long micros) {
            Timestamp t = new Timestamp(Math.floorDiv(micros, 1_000_000L) * 1000L);
            t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
            return t;
        }

        private Path versionPath(long batchId) {
            return new Path(dir, String.format("%012d", batchId));
        }

        private long latestBelow(long batchId) throws IOException {
            long best = -1;
            for (long v : versions()) if (v < batchId && v > best) best = v;
            return best;
        }

        private List<Long> versions() throws IOException {
            List<Long> out = new ArrayList<>();
            if (!fs.exists(dir)) return out;
            for (FileStatus f : fs.listStatus(dir)) {
                String n = f.getPath().getName();
                if (f.isDirectory() && n.matches("\\d{12}")) out.add(Long.parseLong(n));
            }
            return out;
        }
    }


    static final class Pieces {
        /**
         * Partials held per user before they are merged: bounds a task's memory by its users, not its events. A user
         * whose partials stay many after a merge (sessions far apart, as in a backlog of days) is merged again only
         * when that count has doubled, not at every event.
         */
        static final int MERGE_AT = 16;

        private Pieces() {
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

}
