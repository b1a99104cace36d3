package io.questlog.stream.publish;

import io.questlog.contract.ProgressLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The one line per batch that operators read: what came in, what went where, how long. Printed to
 * the log and, when QUESTLOG_PROGRESS_FILE is set, also kept (last line only) in that file, which
 * {@code ./questlog status} prints.
 */
public final class Progress {
    private static volatile Optional<Path> file = Optional.empty();
    private static volatile String last = "";

    private Progress() {
    }

    /** Where to keep the last line (empty: log only). */
    public static void keepIn(Optional<Path> path) {
        file = path;
    }

    static String line(String query, long batchId, long rowsIn, Map<String, Long> rowsPerTable, long badRows,
                       long lateRows, long duplicates, String watermark, long durationMs) {
        return ProgressLine.batch(Instant.now(), query, batchId, rowsIn, rowsPerTable, badRows, lateRows, duplicates, watermark, durationMs);
    }

    /** Prints a line, and keeps it in the progress file if one is set. */
    public static void log(String line) {
        System.out.println(line);
        System.out.flush();
        last = line;
        keep(line);
    }

    /**
     * The query has nothing to read (Kafka holds no record past its offsets): keeps a line saying so, written now
     * and ending with the last batch's line, so {@code ./questlog status} can tell an idle job from a stuck one.
     * Printed to the log only when the job turns idle, not at every heartbeat.
     */
    public static void idle() {
        boolean wasIdle = ProgressLine.parse(last).filter(l -> l.kind() == ProgressLine.Kind.IDLE).isPresent();
        String line = ProgressLine.idle(Instant.now(), last);
        if (!wasIdle) System.out.println(line);
        last = line;
        keep(line);
    }

    /** Adds {@code more} to the kept line if that line is batch {@code batchId}'s. */
    static void appendToLast(long batchId, String more) {
        appendToLast(null, batchId, more);
    }

    /** Adds {@code more} to the kept line if that line is query {@code query}'s (any, if null) batch {@code batchId}. */
    static void appendToLast(String query, long batchId, String more) {
        String l = last;
        if (ProgressLine.parse(l).filter(p -> p.kind() == ProgressLine.Kind.BATCH && p.number("batch").orElse(-1) == batchId
                && (query == null || query.equals(p.fields().get("query")))).isPresent()) {
            last = l + " " + more;
            keep(last);
        }
    }

    private static void keep(String line) {
        file.ifPresent(f -> {
            try {
                Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
                Files.writeString(tmp, line + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                System.err.println("[questlog] cannot write the progress file " + f + ": " + e);
            }
        });
    }
}
