package io.questlog.stream.route;

import io.questlog.contract.TableCatalog;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_compact;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import io.questlog.contract.Route;
import io.questlog.contract.Routes;
import io.questlog.stream.parse.Parse;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A parsed batch as one Dataset with a row per (record, table it belongs to), so every table of the
 * batch is written by one Spark job partitioned by {@link #TABLE} and {@code dt}: a good event goes to
 * {@code events} and to each routed table of its type; a bad record, and a late event (see
 * {@link Parse#markLate}), to {@code bad_events}. All rows have the event tables' columns
 * ({@link Parse#EVENT_COLUMNS}); a bad_events row carries its own columns in them (error in
 * {@code event_type}, topic in {@code host}, the Kafka timestamp in {@code received_ts}, the rest null)
 * and {@link #badEvents} turns those back into the bad_events columns. Pure functions.
 */
public final class FanOut {
    public static final String TABLE = "table";
    public static final String EVENTS = TableCatalog.EVENTS;
    public static final String BAD_EVENTS = TableCatalog.BAD_EVENTS;

    private FanOut() {
    }

    /** {@code marked} ({@link Parse#markLate} of {@link Parse#classify}) into {@link Parse#EVENT_COLUMNS}, {@code table}, {@code dt}. */
    public static Dataset<Row> rows(Dataset<Row> marked, Routes routes) {
        Column good = col("error").isNull();
        List<Column> tables = new ArrayList<>();
        tables.add(when(good, lit(EVENTS)));
        for (Route r : routes.all()) {
            tables.add(when(good.and(col("event_type").isin(r.eventTypes().stream().sorted().toArray())), lit(r.table())));
        }
        tables.add(when(not(good).or(col(Parse.LATE)), lit(BAD_EVENTS)));
        Dataset<Row> fanned = marked.withColumn(TABLE, explode(array_compact(array(tables.toArray(Column[]::new)))));

        Column bad = col(TABLE).equalTo(BAD_EVENTS);
        List<Column> out = new ArrayList<>();
        for (String c : Parse.EVENT_COLUMNS) {
            Column value = switch (c) {
                case "event_type" -> when(bad, coalesce(col("error"), lit(Parse.LATE))).otherwise(col(c));
                case "host" -> when(bad, col("topic")).otherwise(col(c));
                case "received_ts" -> when(bad, col("kafka_ts")).otherwise(col(c));
                case "raw_event", "kafka_partition", "kafka_offset" -> col(c);
                default -> when(not(bad), col(c));
            };
            out.add(value.as(c));
        }
        out.add(col(TABLE));
        // a bad row's date is its Kafka timestamp's (a late event's own date is far back, or absurd)
        out.add(when(bad, Parse.utcDate(unix_millis(col("kafka_ts")))).otherwise(col(Parse.DT)).as(Parse.DT));
        return fanned.select(out.toArray(Column[]::new));
    }

    /** Rows {@link #rows} sent to bad_events, back in {@link Parse#BAD_COLUMNS} then {@code dt}. */
    public static Dataset<Row> badEvents(Dataset<Row> staged) {
        return staged.select(col("raw_event").as("raw"), col("event_type").as("error"), col("host").as("topic"),
                col("kafka_partition"), col("kafka_offset"), col("received_ts"), col(Parse.DT));
    }

    /** The rows of {@code events} that belong in a route's table (same columns): one filter per table. */
    public static Dataset<Row> rowsFor(Route route, Dataset<Row> events) {
        return events.filter(col("event_type").isin(route.eventTypes().stream().sorted().toArray()));
    }
}
