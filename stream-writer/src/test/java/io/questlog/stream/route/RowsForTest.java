package io.questlog.stream.route;

import io.questlog.contract.Routes;
import static io.questlog.stream.TestSpark.envelope;
import static io.questlog.stream.TestSpark.kafkaRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.parse.Parse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** A route's rows, as the per-sink baseline reads them. */
class RowsForTest {
    @Test
    void rowsForKeepsOnlyTheRoutedTypesWithAllColumns() {
        long ts = Instant.parse("2024-06-01T10:00:00Z").toEpochMilli();
        Instant k = Instant.parse("2024-06-01T10:00:01Z");
        Dataset<Row> events = Parse.events(Parse.classify(kafkaRows(List.of(
                new Rec(envelope("1", "purchase_sword", "u", ts, "Chrome"), 0, 1, k),
                new Rec(envelope("2", "join_guild", "u", ts, "Chrome"), 0, 2, k),
                new Rec(envelope("3", "default", "u", ts, "Chrome"), 0, 3, k),
                new Rec(envelope("4", "purchase_sword", "v", ts, "Chrome"), 0, 4, k)))));
        Routes routes = Routes.parse(Routes.DEFAULT, e -> { });

        Dataset<Row> swords = FanOut.rowsFor(routes.all().get(0), events);
        assertThat(swords.columns()).containsExactly(events.columns());
        assertThat(swords.select("event_id").orderBy("event_id").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("1", "4");
        assertThat(FanOut.rowsFor(routes.all().get(1), events).select("event_id").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("2");
    }
}
