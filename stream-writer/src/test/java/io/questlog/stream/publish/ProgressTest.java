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
            String line = Progress.line("tables", 12, 31, tables, 1, 0, 3, "2024-06-01T10:00:00Z", 1490);
            assertThat(line).endsWith("[questlog] query=tables batch=12 rows_in=31 events=30 sessions=2 bad_rows=1 late=0 "
                    + "duplicates=3 watermark=2024-06-01T10:00:00Z duration_ms=1490");
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

    @Test
    void anIdleJobKeepsAFreshLineThatStillShowsItsLastBatch(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("stream-writer.progress");
        Progress.keepIn(Optional.of(f));
        try {
            Progress.log("2024-06-01T10:00:00Z [questlog] query=tables batch=3 rows_in=5");
            Progress.appendToLast(3, "kafka_lag=0");
            Progress.idle();
            String first = Files.readString(f).trim();
            assertThat(first).matches("\\S+ \\[questlog\\] idle lag=0; last: query=tables batch=3 rows_in=5 kafka_lag=0");
            assertThat(java.time.Instant.parse(first.substring(0, first.indexOf(' '))))
                    .isAfter(java.time.Instant.parse("2024-06-01T10:00:00Z"));
            Progress.idle(); // a second heartbeat keeps the same last batch, once
            assertThat(Files.readString(f).trim()).endsWith("idle lag=0; last: query=tables batch=3 rows_in=5 kafka_lag=0");
            Progress.appendToLast(3, "kafka_lag=1"); // a late lag line does not touch an idle line
            assertThat(Files.readString(f).trim()).endsWith("kafka_lag=0");
        } finally {
            Progress.keepIn(Optional.empty());
        }
    }
}
