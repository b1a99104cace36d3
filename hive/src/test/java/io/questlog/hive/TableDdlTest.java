package io.questlog.hive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableDdlTest {
    @Test
    void everyTableGetsItsOwnLocationUnderTheWarehouse() {
        Map<String, String> ddl = TableDdl.statements("hdfs://nn:8020/wh/", List.of("sword_purchases", "guild_joins"));
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
        String events = TableDdl.statements("hdfs://nn:8020/wh", List.of()).get("events");
        java.util.Set<String> before = new java.util.HashSet<>(List.of("event_id", "event_type", "user_id", "event_ts",
                "received_ts", "host", "user_agent", "accept", "headers", "browser_family", "os_family", "device_family",
                "attributes", "schema_version", "raw_event", "kafka_partition", "kafka_offset", "dt"));
        assertThat(TableDdl.addMissingColumns("events", events, before))
                .hasValue("ALTER TABLE events ADD COLUMNS (device_ts       TIMESTAMP)");
        before.add("DEVICE_TS");
        assertThat(TableDdl.addMissingColumns("events", events, before)).isEmpty();
    }

    @Test
    void routedTablesComeFromTheRoutesSetting() {
        assertThat(TableDdl.routedTables("purchase_sword:sword_purchases, join_guild:guild_joins,level_up:level_ups"))
                .containsExactly("sword_purchases", "guild_joins", "level_ups");
        assertThatThrownBy(() -> TableDdl.routedTables("purchase_sword")).hasMessageContaining("event_type:table");
        assertThatThrownBy(() -> TableDdl.statements("x", List.of("Drop Table"))).hasMessageContaining("must match");
    }
}
