package io.questlog.stream.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import io.questlog.stream.parse.Parse;
import io.questlog.stream.route.Route;
import io.questlog.stream.route.Routes;
import io.questlog.stream.sessions.OpenSessions;
import io.questlog.stream.sessions.SessionStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The "tables" query's batch function: one parsed batch (see {@link Parse#classify}) into
 * {@code events}, every routed table, {@code bad_events} and {@code sessions}. The batch is read from
 * Kafka once and cached while its tables are written. Sessions: the open sessions of the previous
 * batch ({@link SessionStore}) merged with this batch's events; those the watermark (newest event
 * time minus the delay) has passed are published, the rest saved for the next batch. An event older
 * than the watermark at the start of its batch is late: it stays in {@code events} and the routed
 * tables, is left out of sessions, and gets a {@code bad_events} row with error {@code late}.
 */
public final class EventTablesWriter {
    public static final String EVENTS = "events";
    public static final String BAD_EVENTS = "bad_events";
    public static final String SESSIONS = "sessions";

    private final ParquetPublisher publisher;
    private final Routes routes;
    private final SessionStore sessions;
    private final Duration gap;
    private final Duration watermark;

    public EventTablesWriter(ParquetPublisher publisher, Routes routes, SessionStore sessions, Duration gap,
                             Duration watermark) {
        this.publisher = publisher;
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
        Dataset<Row> batch = Parse.markLate(classified, lateBefore).persist();
        try {
            // one small job counts everything: event_type for good rows, null for bad ones; late or not
            Map<String, Long> byType = new HashMap<>();
            long bad = 0;
            long good = 0;
            long late = 0;
            long batchMax = Long.MIN_VALUE;
            for (Row r : batch.groupBy(when(col("error").isNull(), col("event_type")).as("t"), col(Parse.LATE))
                    .agg(count(lit(1)), max(unix_millis(col("event_ts")))).collectAsList()) {
                long n = r.getLong(2);
                if (r.isNullAt(0)) {
                    bad += n;
                    continue;
                }
                byType.merge(r.getString(0), n, Long::sum);
                good += n;
                if (r.getBoolean(1)) late += n;
                if (!r.isNullAt(3)) batchMax = Math.max(batchMax, r.getLong(3));
            }
            lap(phases, "read", start); // the Kafka read, parse and de-duplication happen in this first job
            Map<String, Long> written = new LinkedHashMap<>();
            Dataset<Row> events = Parse.events(batch);
            write(EVENTS, batchId, events, good, written);
            lap(phases, EVENTS, start);
            for (Route route : routes.all()) {
                long n = route.eventTypes().stream().mapToLong(t -> byType.getOrDefault(t, 0L)).sum();
                write(route.table(), batchId, route.rowsFor(events), n, written);
            }
            lap(phases, "routes", start);
            write(BAD_EVENTS, batchId, Parse.bad(batch).unionByName(Parse.late(batch)), bad + late, written);
            lap(phases, BAD_EVENTS, start);

            long closed = 0;
            long maxTs = before.maxEventTsMs().orElse(Long.MIN_VALUE);
            if (good - late > 0) {
                long newMax = Math.max(maxTs, batchMax);
                long wmAfter = newMax - watermark.toMillis();
                // open sessions are few (one per active user): merged by Spark, then split on the driver
                Dataset<Row> open = classified.sparkSession().createDataFrame(before.open(), OpenSessions.SCHEMA);
                List<Row> merged = OpenSessions.merge(open,
                        batch.filter(col("error").isNull().and(not(col(Parse.LATE)))), gap).collectAsList();
                List<Row> done = new ArrayList<>();
                List<Row> stillOpen = new ArrayList<>();
                for (Row r : merged) (OpenSessions.isClosedBefore(r, wmAfter, gap) ? done : stillOpen).add(r);
                closed = done.size();
                // own file prefix: this query's batch ids never meet files of another sessions writer;
                // one partition: file names must not depend on the cores of the process that replays
                if (closed > 0) {
                    publisher.publish(SESSIONS, batchId, OpenSessions.rows(
                            classified.sparkSession().createDataFrame(done, OpenSessions.SCHEMA)).coalesce(1), "sess");
                }
                sessions.save(batchId, stillOpen, newMax);
                maxTs = newMax;
            }
            written.put(SESSIONS, closed);
            lap(phases, SESSIONS, start);
            String wm = maxTs == Long.MIN_VALUE ? "none" : Instant.ofEpochMilli(maxTs - watermark.toMillis()).toString();
            Progress.log(Progress.line("tables", batchId, good + bad, written, bad, late, wm,
                    System.currentTimeMillis() - start) + " phases_ms=" + phases.entrySet().stream()
                    .map(e -> e.getKey() + ":" + e.getValue()).collect(java.util.stream.Collectors.joining(",")));
            return written;
        } finally {
            batch.unpersist();
        }
    }

    /** Records the time since the previous lap (or {@code start}) under {@code name}. */
    private static void lap(Map<String, Long> phases, String name, long start) {
        long before = start + phases.values().stream().mapToLong(Long::longValue).sum();
        phases.put(name, System.currentTimeMillis() - before);
    }

    private void write(String table, long batchId, Dataset<Row> rows, long count, Map<String, Long> written) {
        if (count > 0) publisher.publish(table, batchId, rows);
        written.put(table, count);
    }
}
