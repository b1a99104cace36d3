package io.questlog.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TableCatalogTest {
    @Test
    void eventTablesCarryEveryEnvelopeField() {
        assertTrue(TableCatalog.eventTable("events").columnNames().containsAll(EnvelopeSchema.names()));
        assertEquals(Set.copyOf(TableCatalog.eventTable("events").columnNames()).size(), TableCatalog.EVENT_COLUMNS.size());
    }

    @Test
    void defaultRoutesGiveFiveTables() {
        List<String> names = TableCatalog.all(Routes.parse(Routes.DEFAULT)).stream().map(Table::name).toList();
        assertEquals(List.of("events", "sword_purchases", "guild_joins", "sessions", "bad_events"), names);
    }

    @Test
    void routesReportEveryProblem() {
        List<String> errors = new ArrayList<>();
        Routes r = Routes.parse("a:t1, b:t1 ,c:events,a:t2,Bad:x,d", errors::add);
        assertEquals(List.of("t1"), r.tables());
        assertEquals(Set.of("a", "b"), r.all().get(0).eventTypes());
        assertEquals(4, errors.size(), errors.toString());
        assertEquals(List.of("t1"), r.tablesFor("b"));
        assertThrows(IllegalArgumentException.class, () -> Routes.parse("x:sessions"));
        assertThrows(IllegalArgumentException.class, () -> new Table("Bad-name", "", List.of()));
    }
}
