package io.questlog.stream.publish;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;

/** The one line per batch per query that operators read: what came in, what went where, how long. */
final class Progress {
    private Progress() {
    }

    static String line(String query, long batchId, long rowsIn, Map<String, Long> rowsPerTable, long badRows,
                       long durationMs) {
        String tables = rowsPerTable.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return Instant.now() + " [questlog] query=" + query + " batch=" + batchId + " rows_in=" + rowsIn
                + (tables.isEmpty() ? "" : " " + tables) + " bad_rows=" + badRows + " duration_ms=" + durationMs;
    }

    static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
