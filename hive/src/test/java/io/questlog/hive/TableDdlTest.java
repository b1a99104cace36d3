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
    void routedTablesComeFromTheRoutesSetting() {
        assertThat(TableDdl.routedTables("purchase_sword:sword_purchases, join_guild:guild_joins,level_up:level_ups"))
                .containsExactly("sword_purchases", "guild_joins", "level_ups");
        assertThatThrownBy(() -> TableDdl.routedTables("purchase_sword")).hasMessageContaining("event_type:table");
        assertThatThrownBy(() -> TableDdl.statements("x", List.of("Drop Table"))).hasMessageContaining("must match");
    }
}
