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
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * The "tables" query's batch function: one parsed batch (see {@link Parse#classify}) into
 * {@code events}, every routed table and {@code bad_events}. The batch is read from Kafka once: one Spark job
 * drops repeated events ({@link DropSeenEvents}, counted in the progress line and {@link StreamMetrics}) and
 * writes every table's rows aside ({@link FanOut}, {@link ParquetPublisher#stage}); what follows reads only those
 * staged files (footers, bad_events' few rows) before moving them into place. Sessions, and the {@code late}
 * rows of bad_events, come from the "sessions" query ({@link SessionsWriter}), which decides lateness with the
 * same watermark it closes sessions with.
 */
public final class EventTablesWriter {
    public static final String EVENTS = FanOut.EVENTS;
    public static final String BAD_EVENTS = FanOut.BAD_EVENTS;
    public static final String SESSIONS = TableCatalog.SESSIONS;

    private final ParquetPublisher publisher;
    private final Routes routes;
    private final DropSeenEvents dedup;

    public EventTablesWriter(ParquetPublisher publisher, Routes routes, DropSeenEvents dedup) {
        this.publisher = publisher;
        this.dedup = dedup;
        this.routes = routes;
    }

    /** Rows written per table (tables with no rows in this batch included, as 0). */
    public Map<String, Long> publish(long batchId, Dataset<Row> classified) {
        long start = System.currentTimeMillis();
        Map<String, Long> phases = new LinkedHashMap<>(); // where a batch's time goes, for the progress line
        SparkSession spark = classified.sparkSession();
        // the one job that reads Kafka, parses and de-duplicates the batch (in its tasks, over Spark's own rows):
        // every table's rows written aside at once. No event is late here (FanOut's late column stays false).
        Dataset<Row> marked = Parse.markLate(classified, OptionalLong.empty());
        LongAccumulator duplicates = spark.sparkContext().longAccumulator("questlog-duplicates-" + batchId);
        Dataset<Row> kept = InternalRowPass.over(marked, dedup.filter(batchId, marked, duplicates));
        Map<String, Path> staged = publisher.stage(batchId, FanOut.rows(kept, routes), FanOut.TABLE);
        lap(phases, "write", start);
        try {
            // rows per table from the staged files' footers (no Spark job)
            Map<String, Long> rows = new HashMap<>(publisher.rowCounts(staged));
            long good = rows.getOrDefault(EVENTS, 0L);
            lap(phases, "count", start);
            for (Map.Entry<String, Path> t : staged.entrySet()) {
                if (t.getKey().equals(BAD_EVENTS)) {
                    // rewritten from one partition: its file name must not depend on staged file sizes
                    publisher.publish(BAD_EVENTS, batchId, FanOut.badEvents(
                            spark.read().parquet(t.getValue().toString())).coalesce(1));
                } else {
                    publisher.publishStaged(t.getKey(), batchId, t.getValue(), "part");
                }
            }
            Map<String, Long> byTable = new LinkedHashMap<>();
            byTable.put(EVENTS, good);
            for (Route route : routes.all()) byTable.put(route.table(), rows.getOrDefault(route.table(), 0L));
            long bad = rows.getOrDefault(BAD_EVENTS, 0L);
            byTable.put(BAD_EVENTS, bad);
            lap(phases, "publish", start);
            StreamMetrics.INSTANCE.batch(good, duplicates.value(), bad, 0, 0);
            // this query has no watermark: sessions' line (query=sessions) carries it
            Progress.log(Progress.line("tables", batchId, good + bad, byTable, bad, 0, duplicates.value(), "none",
                    System.currentTimeMillis() - start) + " phases_ms=" + phases.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(java.util.stream.Collectors.joining(",")));
            return byTable;
        } finally {
            publisher.dropStaged(batchId);
        }
    }

    /** Records the time since the previous lap (or {@code start}) under {@code name}. */
    static void lap(Map<String, Long> phases, String name, long start) {
        long before = start + phases.values().stream().mapToLong(Long::longValue).sum();
        phases.put(name, System.currentTimeMillis() - before);
    }
}
