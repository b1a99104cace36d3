package io.questlog.stream.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Env;
import io.questlog.stream.config.StreamConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PreflightTest {
    @Test
    void aFailureIsNamedWithItsRootCause() {
        assertThat(Preflight.rootMessage(new IllegalStateException("batch 3", new RuntimeException(new IOException("refused")))))
                .isEqualTo("java.lang.IllegalStateException: batch 3 (cause: java.io.IOException: refused)");
        assertThat(Preflight.rootMessage(new IOException("refused"))).isEqualTo("java.io.IOException: refused");
    }

    @Test
    void anUnreachableKafkaIsTriedAsOftenAsAskedThenReported() {
        StreamConfig cfg = StreamConfig.from(new Env(Map.of("QUESTLOG_KAFKA_BOOTSTRAP", "127.0.0.1:1")));
        PrintStream err = System.err;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        System.setErr(new PrintStream(said, true));
        try {
            assertThat(Preflight.kafka(cfg, 2)).isFalse();
        } finally {
            System.setErr(err);
        }
        assertThat(said.toString()).contains("Kafka at 127.0.0.1:1 (QUESTLOG_KAFKA_BOOTSTRAP) is unreachable (attempt 1/2)",
                "(attempt 2/2)").doesNotContain("attempt 3");
    }
}
