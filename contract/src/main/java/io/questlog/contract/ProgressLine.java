package io.questlog.contract;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stream-writer's progress lines, which operators read in its log and {@code ./questlog status} reads from
 * its progress file: {@code INSTANT [questlog] TEXT}, where TEXT is one of
 * <ul>
 *   <li>{@code query=Q batch=N rows_in=R TABLE=N... bad_rows=N late=N duplicates=N watermark=W duration_ms=N ...}: a batch ended;</li>
 *   <li>{@code idle lag=0; last: <the last batch's text>}: a heartbeat while Kafka holds nothing new;</li>
 *   <li>{@code waiting for PART at ADDRESS: S s (...)}: a dependency is down;</li>
 *   <li>{@code retrying batch N: ...}: a batch failed and is replayed.</li>
 * </ul>
 * Written and parsed here only, so the writer and its readers cannot drift apart.
 */
public record ProgressLine(Instant at, Kind kind, String text) {
    public enum Kind { BATCH, IDLE, WAITING, RETRYING, OTHER }

    public static final String TAG = "[questlog]";
    private static final Pattern LINE = Pattern.compile("(\\S+) \\[questlog\\] (.*)");
    private static final Pattern IDLE = Pattern.compile("idle lag=(\\d+)\\b.*");
    private static final Pattern FIELD = Pattern.compile("([a-z_][a-z0-9_]*)=(\\S+)");
    private static final String IDLE_PREFIX = "idle lag=0";
    private static final String IDLE_LAST = "; last: ";

    /** A batch's line. {@code rowsPerTable} in the order the tables were written. */
    public static String batch(Instant at, String query, long batchId, long rowsIn, Map<String, Long> rowsPerTable,
                               long badRows, long lateRows, long duplicates, String watermark, long durationMs) {
        StringBuilder b = new StringBuilder().append(at).append(' ').append(TAG).append(" query=").append(query)
                .append(" batch=").append(batchId).append(" rows_in=").append(rowsIn);
        rowsPerTable.forEach((t, n) -> b.append(' ').append(t).append('=').append(n));
        return b.append(" bad_rows=").append(badRows).append(" late=").append(lateRows).append(" duplicates=")
                .append(duplicates).append(" watermark=").append(watermark).append(" duration_ms=").append(durationMs)
                .toString();
    }

    /** A heartbeat with nothing to read, carrying the last batch's line (its text, or a whole earlier line). */
    public static String idle(Instant at, String last) {
        String batch = parse(last).map(l -> l.kind == Kind.IDLE ? l.lastBatch() : l.text).orElse(last == null ? "" : last);
        return at + " " + TAG + " " + IDLE_PREFIX + (batch.isEmpty() ? "" : IDLE_LAST + batch);
    }

    public static String waiting(Instant at, String part, String address, long seconds, String cause) {
        return at + " " + TAG + " waiting for " + part + " at " + address + ": " + seconds + " s (" + cause + ")";
    }

    public static Optional<ProgressLine> parse(String raw) {
        if (raw == null) return Optional.empty();
        Matcher m = LINE.matcher(raw.strip());
        if (!m.matches()) return Optional.empty();
        Instant at;
        try {
            at = Instant.parse(m.group(1));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
        String t = m.group(2);
        Kind k = t.matches("query=\\S+ batch=\\d+ .*") ? Kind.BATCH
                : IDLE.matcher(t).matches() ? Kind.IDLE
                : t.startsWith("waiting for ") ? Kind.WAITING
                : t.startsWith("retrying batch ") ? Kind.RETRYING
                : Kind.OTHER;
        return Optional.of(new ProgressLine(at, k, t));
    }

    /** The {@code key=value} pairs of a batch line (of its own part, not of an idle line's last batch). */
    public Map<String, String> fields() {
        Map<String, String> out = new LinkedHashMap<>();
        String own = kind == Kind.IDLE ? text.substring(0, text.contains(IDLE_LAST) ? text.indexOf(IDLE_LAST) : text.length()) : text;
        Matcher m = FIELD.matcher(own);
        while (m.find()) out.putIfAbsent(m.group(1), m.group(2));
        return out;
    }

    public OptionalLong number(String key) {
        String v = fields().get(key);
        return v != null && v.matches("-?\\d+") ? OptionalLong.of(Long.parseLong(v)) : OptionalLong.empty();
    }

    /** An idle heartbeat reporting nothing left to read. */
    public boolean idleNoLag() {
        Matcher m = IDLE.matcher(text);
        return kind == Kind.IDLE && m.matches() && m.group(1).matches("0+");
    }

    /** An idle line's last batch text, or "". */
    public String lastBatch() {
        return kind == Kind.IDLE && text.contains(IDLE_LAST) ? text.substring(text.indexOf(IDLE_LAST) + IDLE_LAST.length()) : "";
    }
}
