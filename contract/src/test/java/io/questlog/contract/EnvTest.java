package io.questlog.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvTest {
    @Test
    void readsTypedValuesWithDefaults() {
        Env env = new Env(Map.of("QUESTLOG_PORT", "5001", "QUESTLOG_SESSION_GAP", "30 minutes",
                "QUESTLOG_MAX_BODY", "1MiB", "QUESTLOG_CORS", "yes"));
        assertThat(env.integer("port", 5000)).isEqualTo(5001);
        assertThat(env.integer("other_port", 7)).isEqualTo(7);
        assertThat(env.duration("session_gap", "1 minute")).isEqualTo(Duration.ofMinutes(30));
        assertThat(env.duration("trigger", "10 seconds")).isEqualTo(Duration.ofSeconds(10));
        assertThat(env.bytes("max_body", 0)).isEqualTo(1 << 20);
        assertThat(env.bool("cors", false)).isTrue();
        assertThat(env.errors()).isEmpty();
    }

    @Test
    void reportsEveryBadValueAtOnce() {
        Env env = new Env(Map.of("QUESTLOG_PORT", "fifty", "QUESTLOG_SESSION_GAP", "soon"));
        env.integer("port", 5000);
        env.duration("session_gap", "30 minutes");
        assertThatThrownBy(() -> env.validate("ingest-api"))
                .hasMessageContaining("QUESTLOG_PORT=fifty")
                .hasMessageContaining("QUESTLOG_SESSION_GAP=soon");
    }
}
