package io.questlog.loadgen;

import io.questlog.contract.Env;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadgenConfigTest {

    @Test
    void defaults() {
        LoadgenConfig c = LoadgenConfig.parse(new String[0], Map.of());
        assertThat(c.ingestUrl()).isEqualTo(URI.create("http://127.0.0.1:5000"));
        assertThat(c.users()).isEqualTo(200);
        assertThat(c.span()).isEqualTo(Duration.ofHours(3));
        assertThat(c.batchSize()).isEqualTo(500);
        assertThat(c.senders()).isEqualTo(4);
        assertThat(c.sessionGap()).isEqualTo(Duration.ofMinutes(30));
        assertThat(c.manifest()).isEmpty();
        assertThat(c.seedGiven()).isFalse();
    }

    @Test
    void environmentThenFlagsWin() {
        Map<String, String> env = Map.of("QUESTLOG_INGEST_URL", "http://ingest:9000", "QUESTLOG_LOAD_USERS", "10",
                "QUESTLOG_LOAD_SEED", "5", "QUESTLOG_SESSION_GAP", "10 minutes");
        LoadgenConfig c = LoadgenConfig.parse(new String[] {"--users", "7", "--hours=1.5", "--manifest", "/tmp/m.ndjson"}, env);
        assertThat(c.ingestUrl()).isEqualTo(URI.create("http://ingest:9000"));
        assertThat(c.users()).isEqualTo(7);
        assertThat(c.span()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.seed()).isEqualTo(5);
        assertThat(c.seedGiven()).isTrue();
        assertThat(c.sessionGap()).isEqualTo(Duration.ofMinutes(10));
        assertThat(c.manifest()).contains(Path.of("/tmp/m.ndjson"));
        assertThat(LoadgenConfig.parse(new String[] {"--hours", "45m"}, Map.of()).span()).isEqualTo(Duration.ofMinutes(45));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> LoadgenConfig.parse(
                new String[] {"--users", "0", "--seed", "x", "--url", "ftp://h", "--nope", "1", "--batch"}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("QUESTLOG_LOAD_USERS=0 must be >= 1")
                .hasMessageContaining("QUESTLOG_LOAD_SEED=x is not an integer")
                .hasMessageContaining("is not an http(s) URL")
                .hasMessageContaining("unknown option --nope")
                .hasMessageContaining("--batch needs a value");
    }

    @Test
    void helpListsEveryOptionWithItsVariableAndDefault() {
        String help = LoadgenConfig.usage(Map.of("QUESTLOG_LOAD_USERS", "10"));
        LoadgenConfig.FLAGS.forEach(f -> assertThat(help).contains(f.name(), Env.varName(f.var())));
        assertThat(help).contains("Default: 10", "Default: 8", "Default: random, printed", "--help");
    }

    @Test
    void unknownOptionGetsASuggestion() {
        assertThatThrownBy(() -> LoadgenConfig.parse(new String[] {"--usres", "3"}, Map.of()))
                .hasMessageContaining("unknown option --usres (did you mean --users?)")
                .message().doesNotContain("unexpected argument");
    }
}
