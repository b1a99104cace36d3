package io.questlog.stream.publish;

import static io.questlog.contract.TableCatalog.ERROR;
import io.questlog.contract.TableCatalog;
import static org.apache.spark.sql.functions.col;

import io.questlog.stream.spark.InternalRowPass;
import io.questlog.stream.dedup.DropSeenEvents;
import io.questlog.stream.parse.Parse;
import io.questlog.stream.route.FanOut;
import io.questlog.contract.Route;
import io.questlog.contract.Routes;
import io.questlog.stream.sessions.OpenSessions;
import io.questlog.stream.sessions.SessionPieces;
import io.questlog.stream.sessions.SessionStore;
import io.questlog.stream.sessions.TooManyOpenSessions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * The "tables" query's batch function: one parsed batch (see {@link Parse#classify}) into
 * {@code events}, every routed table, {@code bad_events} and {@code sessions}. The batch is read from
 * Kafka once: one Spark job drops repeated events ({@link DropSeenEvents}, counted in the progress line and
 * {@link StreamMetrics}), sessionizes the batch's events
 * ({@link SessionPieces}) and writes every table's rows aside ({@link FanOut}, {@link ParquetPublisher#stage});
 * what follows reads only those staged files (footers, bad_events' few rows) before moving them into place.
 * Sessions: this batch's own, merged on the driver with the open sessions of the
 * previous batch ({@link SessionStore}, one per active user: few rows); those the watermark (newest
 * trusted event time, see {@link SessionPieces#trustedTime}, minus the delay) has passed are published, the rest saved for the next batch. An event older
 * than the watermark at the start of its batch is late: it stays in {@code events} and the routed
 * tables, is left out of sessions, and gets a {@code bad_events} row with error {@code late}.
 */
public final class EventTablesWriter {
    public static final String EVENTS = FanOut.EVENTS;
    public static final String BAD_EVENTS = FanOut.BAD_EVENTS;
    public static final String SESSIONS = TableCatalog.SESSIONS;

    private final ParquetPublisher publisher;
    private final Routes routes;
    private final SessionStore sessions;
    private final Duration gap;
    private final Duration watermark;
    private final DropSeenEvents dedup;
    private final int maxOpenSessions;

    public EventTablesWriter(ParquetPublisher publisher, Routes routes, SessionStore sessions, Duration gap,
                             Duration watermark, DropSeenEvents dedup, int maxOpenSessions) {
        this.publisher = publisher;
        this.maxOpenSessions = maxOpenSessions;
        this.dedup = dedup;
        this.routes = routes;
        this.sessions = sessions;
        this.gap = gap;
        this.watermark = watermark;
    }

    /** Rows written per table (tables with no rows in this batch included, as 0). */
    public Map<String, Long> publish(long batchId, Dataset<Row> classified) {
        long start = System.currentTimeMillis();
        Map<String, Long> phases = new LinkedHashMap<>(); // where a batch's time goes, for the progress line
        SessionStore.Snapshot before = sessions.before(batchId);
        OptionalLong lateBefore = before.maxEventTsMs().isPresent()
                ? OptionalLong.of(before.maxEventTsMs().getAsLong() - watermark.toMillis()) : OptionalLong.empty();
        SparkSession spark = classified.sparkSession();
        // the one job that reads Kafka, parses, de-duplicates and sessionizes the batch (both passes in its tasks,
        // over Spark's own rows): every table's rows written aside at once
        Dataset<Row> marked = Parse.markLate(classified, lateBefore);
        CollectionAccumulator<Row> pieces = spark.sparkContext().collectionAccumulator("questlog-sessions-" + batchId);
        CollectionAccumulator<Long> newest = spark.sparkContext().collectionAccumulator("questlog-newest-" + batchId);
        LongAccumulator duplicates = spark.sparkContext().longAccumulator("questlog-duplicates-" + batchId);
        InternalRowPass pass = dedup.filter(batchId, marked, duplicates)
                .then(SessionPieces.gather(marked.schema(), gap, pieces, newest));
        Dataset<Row> kept = InternalRowPass.over(marked, pass);
        Map<String, Path> staged = publisher.stage(batchId, FanOut.rows(kept, routes), FanOut.TABLE);
        lap(phases, "write", start);
        try {
            // rows per table from the staged files' footers (no Spark job)
            Map<String, Long> rows = new HashMap<>(publisher.rowCounts(staged));
            // the watermark's clock: the newest event time the pipeline trusts (SessionPieces.trustedTime)
            long batchMax = newest.value().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
            // bad_events rows are few: read to count the late ones, and again to be published
            Dataset<Row> badRows = null;
            long late = 0;
            if (staged.containsKey(BAD_EVENTS)) {
                badRows = FanOut.badEvents(spark.read().parquet(staged.get(BAD_EVENTS).toString()));
                late = badRows.filter(col(ERROR).equalTo(Parse.LATE)).count();
            }
            lap(phases, "count", start);

            // the batch's own sessions (gathered by the write job's tasks) merged with the open ones on the driver
            long closed = 0;
            long maxTs = before.maxEventTsMs().orElse(Long.MIN_VALUE);
            long good = rows.getOrDefault(EVENTS, 0L);
            if (!pieces.isZero()) {
                long newMax = Math.max(maxTs, batchMax);
                long wmAfter = newMax - watermark.toMillis();
                List<Row> merged = OpenSessions.combine(before.open(), pieces.value(), gap);
                List<Row> done = new ArrayList<>();
                List<Row> stillOpen = new ArrayList<>();
                for (Row r : merged) (OpenSessions.isClosedBefore(r, wmAfter, gap) ? done : stillOpen).add(r);
                if (stillOpen.size() > maxOpenSessions) throw new TooManyOpenSessions(stillOpen.size(), maxOpenSessions);
                closed = done.size();
                // own file prefix: this query's batch ids never meet files of another sessions writer;
                // one partition: file names must not depend on the cores of the process that replays
                if (closed > 0) {
                    publisher.publish(SESSIONS, batchId, OpenSessions.rows(
                            spark.createDataFrame(done, OpenSessions.SCHEMA)).coalesce(1), "sess");
                }
                sessions.save(batchId, stillOpen, newMax);
                maxTs = newMax;
            }
            lap(phases, SESSIONS, start);

            for (Map.Entry<String, Path> t : staged.entrySet()) {
                if (t.getKey().equals(BAD_EVENTS)) {
                    // rewritten from one partition: its file name must not depend on staged file sizes
                    publisher.publish(BAD_EVENTS, batchId, badRows.coalesce(1));
                } else {
                    publisher.publishStaged(t.getKey(), batchId, t.getValue(), "part");
                }
            }
            Map<String, Long> byTable = new LinkedHashMap<>();
            byTable.put(EVENTS, good);
            for (Route route : routes.all()) byTable.put(route.table(), rows.getOrDefault(route.table(), 0L));
            long bad = rows.getOrDefault(BAD_EVENTS, 0L) - late;
            byTable.put(BAD_EVENTS, bad + late);
            byTable.put(SESSIONS, closed);
            lap(phases, "publish", start);
            String wm = maxTs == Long.MIN_VALUE ? "none" : Instant.ofEpochMilli(maxTs - watermark.toMillis()).toString();
            StreamMetrics.INSTANCE.batch(good, duplicates.value(), bad, late, closed);
            Progress.log(Progress.line("tables", batchId, good + bad, byTable, bad, late, duplicates.value(), wm,
                    System.currentTimeMillis() - start) + " phases_ms=" + phases.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(java.util.stream.Collectors.joining(",")));
            return byTable;
        } finally {
            publisher.dropStaged(batchId);
        }
    }

    /** Records the time since the previous lap (or {@code start}) under {@code name}. */
    private static void lap(Map<String, Long> phases, String name, long start) {
        long before = start + phases.values().stream().mapToLong(Long::longValue).sum();
        phases.put(name, System.currentTimeMillis() - before);
    }
}
