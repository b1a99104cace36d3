package io.questlog.stack.local;

import io.questlog.contract.Env;
import io.questlog.contract.ProgressLine;
import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What `status` says of a running stream-writer, from its last progress line (run/stream-writer.progress):
 * "started" in its log only means its queries were set up, not that batches still finish.
 * The line's format and its kinds are the contract's {@link ProgressLine}.
 */
public final class StreamWriterHealth {
    /** {@code state}: up, waiting, stalled or starting; {@code detail}: what to show after it. */
    public record Status(String state, String detail) {
        public boolean up() { return state.equals("up"); }
    }

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

    /**
     * @param raw     the progress file's line, null if there is none
     * @param started when the running process started (a line from before is an earlier run's), null if unknown
     */
    public static Status classify(String raw, Instant started, Instant now, Duration freshness) {
        Optional<ProgressLine> parsed = ProgressLine.parse(raw).filter(l -> started == null || !l.at().isBefore(started));
        if (parsed.isEmpty()) return new Status("starting", "no progress line yet");
        ProgressLine l = parsed.get();
        long age = Math.max(0, Duration.between(l.at(), now).toSeconds());
        if (age > freshness.toSeconds()) {
            return new Status("stalled", "no progress for " + age + " s (limit " + freshness.toSeconds() + " s); last: " + l.text());
        }
        return switch (l.kind()) {
            case BATCH -> new Status("up", "last batch " + age + " s ago: " + l.text());
            case IDLE -> l.idleNoLag() ? new Status("up", "idle, no lag (" + age + " s ago)")
                    : new Status("stalled", "idle with " + l.text().substring("idle ".length()) + " (" + age + " s ago)");
            // the waiting line's own count is what a reader needs; its parenthesis only repeats the cause
            case WAITING -> new Status("waiting", l.text().replaceFirst(" \\(.*\\)$", ""));
            case RETRYING -> new Status("waiting", l.text());
            case OTHER -> new Status("starting", l.text());
        };
    }
}
