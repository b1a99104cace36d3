package io.questlog.stream.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The warehouse remembers the checkpoint that publishes into it: Spark's query id (the checkpoint's
 * {@code metadata}) in {@code WAREHOUSE/_questlog_checkpoint}. A checkpoint deleted or swapped while the
 * warehouse stays would restart batch ids at 0 and read Kafka again: rows the tables hold would be published
 * twice, or new rows skipped under file names already taken. The job refuses to start instead, naming both ways on.
 */
final class CheckpointPairing {
    static final String MARKER = "_questlog_checkpoint";
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

    private CheckpointPairing() {
    }

    /** Why the checkpoint does not belong to the warehouse, or empty when it does (or the warehouse has no marker yet). */
    static Optional<String> mismatch(Configuration conf, String warehouse, String checkpoint) throws IOException {
        Optional<String> published = read(conf, new Path(warehouse, MARKER)).map(String::trim);
        if (published.isEmpty()) return Optional.empty();
        Optional<String> current = read(conf, new Path(checkpoint, "metadata")).flatMap(CheckpointPairing::queryId);
        if (current.equals(published)) return Optional.empty();
        return Optional.of("the warehouse " + warehouse + " was published by the checkpoint with query id " + published.get()
                + ", but the checkpoint " + checkpoint + (current.isEmpty() ? " is gone" : " has query id " + current.get())
                + ". Starting would read Kafka again from the start and publish events the tables already hold. Restore"
                + " that checkpoint folder, or start over with an empty warehouse and checkpoint (local stack: `./questlog"
                + " down && rm -rf .questlog/data`; elsewhere move " + warehouse + " and " + checkpoint + " aside)");
    }

    /** Records that {@code queryId}'s checkpoint publishes into {@code warehouse}. */
    static void remember(Configuration conf, String warehouse, String queryId) throws IOException {
        Path marker = new Path(warehouse, MARKER);
        FileSystem fs = marker.getFileSystem(conf);
        if (read(conf, marker).map(String::trim).equals(Optional.of(queryId))) return;
        try (var out = fs.create(marker, true)) {
            out.write((queryId + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    static Optional<String> queryId(String metadataJson) {
        Matcher m = ID.matcher(metadataJson);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static Optional<String> read(Configuration conf, Path file) throws IOException {
        FileSystem fs = file.getFileSystem(conf);
        if (!fs.exists(file)) return Optional.empty();
        try (var in = fs.open(file)) {
            return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
