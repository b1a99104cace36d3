package io.questlog.stream.route;

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

class RoutesTest {
    @Test
    void defaultRoutesSendPurchasesAndGuildJoinsToTheirTables() {
        List<String> errors = new ArrayList<>();
        Routes routes = Routes.parse(StreamConfig.DEFAULT_ROUTES, errors::add);
        assertThat(errors).isEmpty();
        assertThat(routes.all()).containsExactly(
                new Route("sword_purchases", Set.of("purchase_sword")),
                new Route("guild_joins", Set.of("join_guild")));
        assertThat(routes.tablesFor("join_guild")).containsExactly("guild_joins");
        assertThat(routes.tablesFor("default")).isEmpty();
    }

    @Test
    void aNewEventTypeGetsATableByConfigurationAloneAndTypesMayShareOne() {
        List<String> errors = new ArrayList<>();
        Routes routes = Routes.parse(" purchase_sword:sword_purchases , buy_shield:purchases,buy_potion:purchases", errors::add);
        assertThat(errors).isEmpty();
        assertThat(routes.tables()).containsExactly("sword_purchases", "purchases");
        assertThat(routes.all().get(1).eventTypes()).containsExactlyInAnyOrder("buy_shield", "buy_potion");
    }

    @Test
    void everyBadEntryIsReported() {
        List<String> errors = new ArrayList<>();
        Routes routes = Routes.parse("ok:fine,nocolon,Bad:x,a:events,ok:again", errors::add);
        assertThat(routes.tables()).containsExactly("fine");
        assertThat(errors).hasSize(4);
        assertThat(errors.get(0)).contains("'nocolon'");
        assertThat(errors.get(1)).contains("'Bad:x'");
        assertThat(errors.get(2)).contains("events").contains("writes itself");
        assertThat(errors.get(3)).contains("ok twice");
    }

    @Test
    void rowsForKeepsOnlyTheRoutedTypesWithAllColumns() {
        long ts = Instant.parse("2024-06-01T10:00:00Z").toEpochMilli();
        Instant k = Instant.parse("2024-06-01T10:00:01Z");
        Dataset<Row> events = Parse.events(Parse.classify(kafkaRows(List.of(
                new Rec(envelope("1", "purchase_sword", "u", ts, "Chrome"), 0, 1, k),
                new Rec(envelope("2", "join_guild", "u", ts, "Chrome"), 0, 2, k),
                new Rec(envelope("3", "default", "u", ts, "Chrome"), 0, 3, k),
                new Rec(envelope("4", "purchase_sword", "v", ts, "Chrome"), 0, 4, k)))));
        Routes routes = Routes.parse(StreamConfig.DEFAULT_ROUTES, e -> { });

        Dataset<Row> swords = routes.all().get(0).rowsFor(events);
        assertThat(swords.columns()).containsExactly(events.columns());
        assertThat(swords.select("event_id").orderBy("event_id").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("1", "4");
        assertThat(routes.all().get(1).rowsFor(events).select("event_id").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("2");
    }
}
