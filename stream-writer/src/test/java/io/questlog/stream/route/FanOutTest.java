package io.questlog.stream.route;

import io.questlog.contract.Routes;
import static io.questlog.stream.TestSpark.envelope;
import static io.questlog.stream.TestSpark.kafkaRows;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.parse.Parse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

class FanOutTest {
    private static final long TS = Instant.parse("2024-06-01T10:00:00Z").toEpochMilli();
    private static final Instant K = Instant.parse("2024-06-03T00:00:01Z");
    private static final Routes ROUTES = Routes.parse(Routes.DEFAULT, e -> { });

    private static Dataset<Row> fanned(OptionalLong lateBefore, Rec... recs) {
        return FanOut.rows(Parse.markLate(Parse.classify(kafkaRows(List.of(recs))), lateBefore), ROUTES);
    }

    @Test
    void aGoodEventGoesToEventsAndItsRoutedTableWithTheEventColumns() {
        Dataset<Row> rows = fanned(OptionalLong.empty(),
                new Rec(envelope("1", "purchase_sword", "u", TS, "Chrome"), 0, 1, K),
                new Rec(envelope("2", "default", "u", TS, "Chrome"), 0, 2, K));

        List<String> expected = new ArrayList<>(Parse.EVENT_COLUMNS);
        expected.addAll(List.of(FanOut.TABLE, Parse.DT));
        assertThat(rows.columns()).containsExactlyElementsOf(expected);
        assertThat(rows.orderBy("event_id", FanOut.TABLE).select("event_id", FanOut.TABLE, "event_type", Parse.DT)
                .collectAsList()).extracting(Row::toString).containsExactly(
                "[1,events,purchase_sword,2024-06-01]", "[1,sword_purchases,purchase_sword,2024-06-01]",
                "[2,events,default,2024-06-01]");
    }

    @Test
    void badAndLateRowsComeBackAsBadEventsRowsDatedByKafka() {
        Dataset<Row> rows = fanned(OptionalLong.of(TS - 60_000),
                new Rec("oops", 3, 7, K),
                new Rec(envelope("old", "join_guild", "u", TS - 120_000, "Chrome"), 0, 8, K),
                new Rec(envelope("new", "join_guild", "u", TS, "Chrome"), 0, 9, K));

        // the late event stays in events and guild_joins; only the late and the bad rows are dead letters
        assertThat(rows.filter(col(FanOut.TABLE).notEqual(FanOut.BAD_EVENTS)).orderBy("kafka_offset", FanOut.TABLE)
                .select("kafka_offset", FanOut.TABLE).collectAsList()).extracting(Row::toString).containsExactly(
                "[8,events]", "[8,guild_joins]", "[9,events]", "[9,guild_joins]");
        Dataset<Row> bad = FanOut.badEvents(rows.filter(col(FanOut.TABLE).equalTo(FanOut.BAD_EVENTS)));
        List<String> expected = new ArrayList<>(Parse.BAD_COLUMNS);
        expected.add(Parse.DT);
        assertThat(bad.columns()).containsExactlyElementsOf(expected);
        assertThat(bad.orderBy("kafka_offset").collectAsList()).extracting(Row::toString).containsExactly(
                "[oops,not a JSON object,events,3,7,2024-06-03 00:00:01.0,2024-06-03]",
                "[" + envelope("old", "join_guild", "u", TS - 120_000, "Chrome") + ",late,events,0,8,2024-06-03 00:00:01.0,2024-06-03]");
    }
}
