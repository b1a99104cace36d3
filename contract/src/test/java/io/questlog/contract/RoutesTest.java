package io.questlog.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutesTest {
    @Test
    void defaultRoutesSendPurchasesAndGuildJoinsToTheirTables() {
        List<String> errors = new ArrayList<>();
        Routes routes = Routes.parse(Routes.DEFAULT, errors::add);
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
}
