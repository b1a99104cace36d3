package io.questlog.stack.local;

import io.questlog.contract.Env;
import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What `status` says of a running stream-writer, from its last progress line (run/stream-writer.progress):
 * "started" in its log only means its queries were set up, not that batches still finish.
 * A line is `INSTANT [questlog] TEXT`, TEXT one of: `query=Q batch=N rows_in=...` (a batch ended),
 * `idle lag=0` (heartbeat while there is no new data), `waiting for DEP at ADDRESS: S s (...)`, `retrying batch N: ...`.
 */
public final class StreamWriterHealth {
    public enum Kind { BATCH, IDLE, WAITING, RETRYING, OTHER }

    public record Line(Instant at, Kind kind, String text) {}

    /** {@code state}: up, waiting, stalled or starting; {@code detail}: what to show after it. */
    public record Status(String state, String detail) {
        public boolean up() { return state.equals("up"); }
    }

    private static final Pattern LINE = Pattern.compile("(\\S+) \\[questlog\\] (.*)");
    private static final Pattern IDLE = Pattern.compile("idle lag=(\\d+)\\b.*");

    private StreamWriterHealth() {}

    /** The stream-writer's last progress line (QUESTLOG_PROGRESS_FILE), if it wrote one. */
    public static Optional<String> lastLine(StackConfig c) {
        try {
            Path f = c.progressFile(Supervisor.STREAM_WRITER);
            return Files.exists(f) ? Optional.of(Files.readString(f).trim()).filter(l -> !l.isEmpty()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** max(3 × QUESTLOG_TRIGGER, 60 s): a few missed triggers, and no alarm at short triggers. */
    public static Duration freshness(String trigger) {
        Duration t = Optional.ofNullable(Env.parseDuration(trigger)).orElse(Duration.ofSeconds(10));
        Duration three = t.multipliedBy(3);
        return three.compareTo(Duration.ofSeconds(60)) > 0 ? three : Duration.ofSeconds(60);
    }

    public static Optional<Line> parse(String raw) {
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
        return Optional.of(new Line(at, k, t));
    }

    /**
     * @param raw     the progress file's line, null if there is none
     * @param started when the running process started (a line from before is an earlier run's), null if unknown
     */
    public static Status classify(String raw, Instant started, Instant now, Duration freshness) {
        Optional<Line> parsed = parse(raw).filter(l -> started == null || !l.at().isBefore(started));
        if (parsed.isEmpty()) return new Status("starting", "no progress line yet");
        Line l = parsed.get();
        long age = Math.max(0, Duration.between(l.at(), now).toSeconds());
        if (age > freshness.toSeconds()) {
            return new Status("stalled", "no progress for " + age + " s (limit " + freshness.toSeconds() + " s); last: " + l.text());
        }
        return switch (l.kind()) {
            case BATCH -> new Status("up", "last batch " + age + " s ago: " + l.text());
            case IDLE -> idleNoLag(l) ? new Status("up", "idle, no lag (" + age + " s ago)")
                    : new Status("stalled", "idle with " + l.text().substring("idle ".length()) + " (" + age + " s ago)");
            // the waiting line's own count is what a reader needs; its parenthesis only repeats the cause
            case WAITING -> new Status("waiting", l.text().replaceFirst(" \\(.*\\)$", ""));
            case RETRYING -> new Status("waiting", l.text());
            case OTHER -> new Status("starting", l.text());
        };
    }

    /** An idle heartbeat reporting nothing left to read. */
    public static boolean idleNoLag(Line l) {
        Matcher m = IDLE.matcher(l.text());
        return l.kind() == Kind.IDLE && m.matches() && m.group(1).matches("0+");
    }
}
