package io.questlog.stream.publish;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import io.questlog.stream.parse.Parse;
import io.questlog.stream.route.Route;
import io.questlog.stream.route.Routes;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The "tables" query's batch function: one parsed batch (see {@link Parse#classify}) into
 * {@code events}, every routed table and {@code bad_events}. The batch is read from Kafka once and
 * cached while its tables are written.
 */
public final class EventTablesWriter {
    public static final String EVENTS = "events";
    public static final String BAD_EVENTS = "bad_events";

    private final ParquetPublisher publisher;
    private final Routes routes;

    public EventTablesWriter(ParquetPublisher publisher, Routes routes) {
        this.publisher = publisher;
        this.routes = routes;
    }

    /** Rows written per table (tables with no rows in this batch included, as 0). */
    public Map<String, Long> publish(long batchId, Dataset<Row> classified) {
        long start = System.currentTimeMillis();
        Dataset<Row> batch = classified.persist();
        try {
            // one small job counts everything: event_type for good rows, null for bad ones
            Map<String, Long> byType = new HashMap<>();
            long bad = 0;
            long good = 0;
            for (Row r : batch.groupBy(when(col("error").isNull(), col("event_type")).as("t"))
                    .count().collectAsList()) {
                if (r.isNullAt(0)) {
                    bad += r.getLong(1);
                } else {
                    byType.put(r.getString(0), r.getLong(1));
                    good += r.getLong(1);
                }
            }
            Map<String, Long> written = new LinkedHashMap<>();
            Dataset<Row> events = Parse.events(batch);
            write(EVENTS, batchId, events, good, written);
            for (Route route : routes.all()) {
                long n = route.eventTypes().stream().mapToLong(t -> byType.getOrDefault(t, 0L)).sum();
                write(route.table(), batchId, route.rowsFor(events), n, written);
            }
            write(BAD_EVENTS, batchId, Parse.bad(batch), bad, written);
            Progress.log(Progress.line("tables", batchId, good + bad, written, bad,
                    System.currentTimeMillis() - start));
            return written;
        } finally {
            batch.unpersist();
        }
    }

    private void write(String table, long batchId, Dataset<Row> rows, long count, Map<String, Long> written) {
        if (count > 0) publisher.publish(table, batchId, rows);
        written.put(table, count);
    }
}
