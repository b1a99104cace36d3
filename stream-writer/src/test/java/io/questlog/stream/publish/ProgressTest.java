package io.questlog.stream.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProgressTest {
    @Test
    void theProgressFileKeepsTheLastBatchLineWithItsKafkaLag(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("stream-writer.progress");
        Progress.keepIn(Optional.of(f));
        try {
            Map<String, Long> tables = new LinkedHashMap<>();
            tables.put("events", 30L);
            tables.put("sessions", 2L);
            String line = Progress.line("tables", 12, 31, tables, 1, 0, "2024-06-01T10:00:00Z", 1490);
            assertThat(line).endsWith("[questlog] query=tables batch=12 rows_in=31 events=30 sessions=2 bad_rows=1 late=0 "
                    + "watermark=2024-06-01T10:00:00Z duration_ms=1490");
            Progress.log(line);
            Progress.appendToLast(11, "kafka_lag=9");
            assertThat(Files.readString(f).trim()).isEqualTo(line);
            Progress.appendToLast(12, "kafka_lag=7");
            assertThat(Files.readString(f).trim()).isEqualTo(line + " kafka_lag=7");
        } finally {
            Progress.keepIn(Optional.empty());
        }
        assertThat(KafkaLag.lag(Map.of("maxOffsetsBehindLatest", "42.0"))).isEqualTo(42L);
        assertThat(KafkaLag.lag(Map.of())).isNull();
    }
}
