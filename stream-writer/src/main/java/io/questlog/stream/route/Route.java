package io.questlog.stream.route;

import static org.apache.spark.sql.functions.col;

import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** One routed table and the event types whose rows it receives. */
public record Route(String table, Set<String> eventTypes) {
    public Route {
        eventTypes = Set.copyOf(eventTypes);
    }

    /** The rows of {@code events} that belong in this route's table (same columns). */
    public Dataset<Row> rowsFor(Dataset<Row> events) {
        return events.filter(col("event_type").isin(eventTypes.stream().sorted().toArray()));
    }
}
