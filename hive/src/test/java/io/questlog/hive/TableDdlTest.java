package io.questlog.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import io.questlog.contract.Routes;
import io.questlog.contract.Table;
import io.questlog.contract.TableCatalog;
import org.junit.jupiter.api.Test;

class TableDdlTest {
    @Test
    void theStatementIsTheCatalogsColumnsInOrder() {
        String sessions = TableDdl.create(TableCatalog.SESSIONS_TABLE, "file:/w");
        int at = 0;
        for (String column : TableCatalog.SESSIONS_TABLE.columnNames()) {
            int next = sessions.indexOf("\n  " + column + " ", at);
            assertThat(next).as(column).isGreaterThan(at);
            at = next;
        }
    }


    @Test
    void everyTableGetsItsOwnLocationUnderTheWarehouse() {
        Map<String, String> ddl = TableDdl.statements("hdfs://nn:8020/wh/", Routes.parse("purchase_sword:sword_purchases,join_guild:guild_joins"));
        assertThat(ddl).containsOnlyKeys("events", "sword_purchases", "guild_joins", "sessions", "bad_events");
        assertThat(ddl.get("sword_purchases"))
                .startsWith("CREATE EXTERNAL TABLE IF NOT EXISTS sword_purchases (")
                .contains("attributes      MAP<STRING, STRING>", "PARTITIONED BY (dt STRING)", "STORED AS PARQUET")
                .endsWith("LOCATION 'hdfs://nn:8020/wh/sword_purchases'");
        assertThat(ddl.get("sessions")).contains("duration_s       BIGINT").endsWith("LOCATION 'hdfs://nn:8020/wh/sessions'");
        assertThat(ddl.values()).noneMatch(s -> s.contains("${") || s.contains("--"));
    }

    @Test
    void aTableFromAnEarlierVersionGetsTheColumnsAddedSince() {
        Table events = TableCatalog.eventTable("events");
        java.util.Set<String> before = new java.util.HashSet<>(List.of("event_id", "event_type", "user_id", "event_ts",
                "received_ts", "host", "user_agent", "accept", "headers", "browser_family", "os_family", "device_family",
                "attributes", "schema_version", "raw_event", "kafka_partition", "kafka_offset", "dt"));
        assertThat(TableDdl.addMissingColumns(events, before))
                .hasValue("ALTER TABLE events ADD COLUMNS (device_ts       TIMESTAMP)");
        before.add("DEVICE_TS");
        assertThat(TableDdl.addMissingColumns(events, before)).isEmpty();
    }

    @Test
    void routedTablesComeFromTheRoutesSetting() {
        assertThat(Routes.parse("purchase_sword:sword_purchases, join_guild:guild_joins,level_up:level_ups").tables())
                .containsExactly("sword_purchases", "guild_joins", "level_ups");
        assertThatThrownBy(() -> Routes.parse("purchase_sword")).hasMessageContaining("event_type:table");
        assertThatThrownBy(() -> TableCatalog.eventTable("Drop Table")).hasMessageContaining("must match");
    }
}
