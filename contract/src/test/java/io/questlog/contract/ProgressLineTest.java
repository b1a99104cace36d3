package io.questlog.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void batchLineRoundTrips() {
        Map<String, Long> tables = new LinkedHashMap<>();
        tables.put("events", 7L);
        tables.put("sessions", 2L);
        String line = ProgressLine.batch(T, "tables", 3, 9, tables, 1, 0, 2, "2026-12-01T09:50:00Z", 812);
        assertEquals("2026-12-01T10:00:00Z [questlog] query=tables batch=3 rows_in=9 events=7 sessions=2 bad_rows=1 late=0"
                + " duplicates=2 watermark=2026-12-01T09:50:00Z duration_ms=812", line);
        ProgressLine p = ProgressLine.parse(line + " kafka_lag=0").orElseThrow();
        assertEquals(ProgressLine.Kind.BATCH, p.kind());
        assertEquals(T, p.at());
        assertEquals(9, p.number("rows_in").getAsLong());
        assertEquals("0", p.fields().get("kafka_lag"));
        assertEquals(2, p.number("duplicates").getAsLong());
    }

    @Test
    void idleKeepsTheLastBatchThroughHeartbeats() {
        String batch = ProgressLine.batch(T, "tables", 3, 9, Map.of(), 0, 0, 0, "w", 1);
        String idle1 = ProgressLine.idle(T.plusSeconds(10), batch);
        String idle2 = ProgressLine.idle(T.plusSeconds(20), idle1);
        ProgressLine p = ProgressLine.parse(idle2).orElseThrow();
        assertEquals(ProgressLine.Kind.IDLE, p.kind());
        assertTrue(p.idleNoLag());
        assertEquals(batch.substring(batch.indexOf("query=")), p.lastBatch());
        assertEquals(Map.of("lag", "0"), p.fields());
    }

    @Test
    void otherKindsAndNonLines() {
        assertEquals(ProgressLine.Kind.WAITING,
                ProgressLine.parse(ProgressLine.waiting(T, "Trino", "127.0.0.1:8080", 16, "refused")).orElseThrow().kind());
        assertEquals(ProgressLine.Kind.RETRYING, ProgressLine.parse(T + " [questlog] retrying batch 4: x").orElseThrow().kind());
        assertEquals(ProgressLine.Kind.OTHER, ProgressLine.parse(T + " [questlog] stream-writer started").orElseThrow().kind());
        assertTrue(ProgressLine.parse("not a line").isEmpty());
        assertTrue(ProgressLine.parse("yesterday [questlog] query=a batch=1 x").isEmpty());
        assertTrue(ProgressLine.parse(null).isEmpty());
    }
}
