package io.questlog.stream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.questlog.contract.Env;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamConfigTest {
    @Test
    void defaultsMatchTheDesign() {
        StreamConfig c = StreamConfig.from(new Env(Map.of()));
        assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(c.topic()).isEqualTo("events");
        assertThat(c.startingOffsets()).isEqualTo("earliest");
        assertThat(c.warehouse()).isEqualTo("hdfs://localhost:8020/questlog/warehouse");
        assertThat(c.checkpoint("tables")).isEqualTo("hdfs://localhost:8020/questlog/checkpoints/tables");
        assertThat(c.trigger()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.sessionGap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.watermark()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.routes().tables()).containsExactly("sword_purchases", "guild_joins");
        assertThat(c.trinoJdbc()).contains("jdbc:trino://127.0.0.1:8080/hive/default?user=questlog");
        assertThat(c.sparkMaster()).isEqualTo("local[2]");
        assertThat(StreamConfig.interval(c.sessionGap())).isEqualTo("1800000 milliseconds");
        assertThat(c.onDataLoss()).isEqualTo(StreamConfig.OnDataLoss.FAIL);
        assertThat(c.progressFile()).isEmpty();
    }

    @Test
    void dataLossPolicyIsValidated() {
        StreamConfig c = StreamConfig.from(new Env(Map.of("QUESTLOG_ON_DATA_LOSS", "Skip",
                "QUESTLOG_PROGRESS_FILE", "/tmp/p.txt")));
        assertThat(c.onDataLoss()).isEqualTo(StreamConfig.OnDataLoss.SKIP);
        assertThat(c.progressFile()).contains(java.nio.file.Path.of("/tmp/p.txt"));
        assertThatThrownBy(() -> StreamConfig.from(new Env(Map.of("QUESTLOG_ON_DATA_LOSS", "ignore"))))
                .hasMessageContaining("QUESTLOG_ON_DATA_LOSS=ignore must be fail");
    }

    @Test
    void overridesAndNoneDisablesRegistration() {
        StreamConfig c = StreamConfig.from(new Env(Map.of(
                "QUESTLOG_WAREHOUSE", "file:///tmp/wh/", "QUESTLOG_TRINO_JDBC", "none",
                "QUESTLOG_TRIGGER", "2 seconds", "QUESTLOG_ROUTES", "open_chest:chests")));
        assertThat(c.warehouse()).isEqualTo("file:///tmp/wh");
        assertThat(c.trinoJdbc()).isEqualTo(Optional.empty());
        assertThat(c.trigger()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.routes().tables()).containsExactly("chests");
    }

    @Test
    void reportsEveryBadSettingAtOnce() {
        assertThatThrownBy(() -> StreamConfig.from(new Env(Map.of(
                "QUESTLOG_STARTING_OFFSETS", "yesterday", "QUESTLOG_SESSION_GAP", "long",
                "QUESTLOG_ROUTES", "x", "QUESTLOG_TRINO_JDBC", "http://trino", "QUESTLOG_WAREHOUSE", "::"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("QUESTLOG_STARTING_OFFSETS=yesterday")
                .hasMessageContaining("QUESTLOG_SESSION_GAP=long")
                .hasMessageContaining("QUESTLOG_ROUTES entry 'x'")
                .hasMessageContaining("QUESTLOG_TRINO_JDBC=http://trino")
                .hasMessageContaining("QUESTLOG_WAREHOUSE=::");
    }
}
