package io.questlog.stream.route;

import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.EnvelopeSchema.HOST;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.TableCatalog.ERROR;
import static io.questlog.contract.TableCatalog.KAFKA_OFFSET;
import static io.questlog.contract.TableCatalog.KAFKA_PARTITION;
import static io.questlog.contract.TableCatalog.RAW;
import static io.questlog.contract.TableCatalog.RAW_EVENT;
import static io.questlog.contract.TableCatalog.TOPIC;
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
        Column good = col(ERROR).isNull();
        List<Column> tables = new ArrayList<>();
        tables.add(when(good, lit(EVENTS)));
        for (Route r : routes.all()) {
            tables.add(when(good.and(col(EVENT_TYPE).isin(r.eventTypes().stream().sorted().toArray())), lit(r.table())));
        }
        tables.add(when(not(good).or(col(Parse.LATE)), lit(BAD_EVENTS)));
        Dataset<Row> fanned = marked.withColumn(TABLE, explode(array_compact(array(tables.toArray(Column[]::new)))));

        Column bad = col(TABLE).equalTo(BAD_EVENTS);
        List<Column> out = new ArrayList<>();
        for (String c : Parse.EVENT_COLUMNS) {
            Column value = switch (c) {
                case EVENT_TYPE -> when(bad, coalesce(col(ERROR), lit(Parse.LATE))).otherwise(col(c));
                case HOST -> when(bad, col(TOPIC)).otherwise(col(c));
                case RECEIVED_TS -> when(bad, col("kafka_ts")).otherwise(col(c));
                case RAW_EVENT, KAFKA_PARTITION, KAFKA_OFFSET -> col(c);
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
        return staged.select(col(RAW_EVENT).as(RAW), col(EVENT_TYPE).as(ERROR), col(HOST).as(TOPIC),
                col(KAFKA_PARTITION), col(KAFKA_OFFSET), col(RECEIVED_TS), col(Parse.DT));
    }

    /** The rows of {@code events} that belong in a route's table (same columns): one filter per table. */
    public static Dataset<Row> rowsFor(Route route, Dataset<Row> events) {
        return events.filter(col(EVENT_TYPE).isin(route.eventTypes().stream().sorted().toArray()));
    }
}
