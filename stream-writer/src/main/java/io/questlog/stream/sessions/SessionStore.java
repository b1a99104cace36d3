package io.questlog.stream.sessions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * The open sessions and the newest event time seen, one version per micro-batch under
 * {@code DIR/<batchId, 12 digits>/} (written aside and renamed, so a version is whole or absent).
 * Batch N reads the newest version below N: a replayed batch sees exactly what its first attempt saw,
 * so it computes the same sessions, the same late events and the same file contents. Kept in the
 * query's checkpoint folder, so resetting the checkpoint resets it too.
 */
public final class SessionStore {
    private static final String MAX_FILE = "_max_event_ts"; // "_": not read as Parquet
    private static final int KEEP = 3;

    private final SparkSession spark;
    private final Path dir;
    private final FileSystem fs;

    /** What batch N starts from. {@code maxEventTsMs} is empty before the first event. */
    public record Snapshot(Dataset<Row> open, OptionalLong maxEventTsMs) {
    }

    public SessionStore(SparkSession spark, String dir, Configuration conf) {
        this.spark = spark;
        this.dir = new Path(dir);
        try {
            this.fs = this.dir.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the file system of " + dir, e);
        }
    }

    public Snapshot before(long batchId) {
        try {
            long v = latestBelow(batchId);
            if (v < 0) return new Snapshot(spark.createDataFrame(List.of(), OpenSessions.SCHEMA), OptionalLong.empty());
            Path version = versionPath(v);
            long max;
            try (var in = fs.open(new Path(version, MAX_FILE))) {
                max = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
            }
            return new Snapshot(spark.read().schema(OpenSessions.SCHEMA).parquet(version.toString()), OptionalLong.of(max));
        } catch (IOException e) {
            throw new UncheckedIOException("Reading open sessions before batch " + batchId + " from " + dir + " failed", e);
        }
    }

    /** Saves batch {@code batchId}'s open sessions and newest event time, then drops old versions. */
    public void save(long batchId, Dataset<Row> open, long maxEventTsMs) {
        Path tmp = new Path(dir, "_tmp-" + String.format("%012d", batchId));
        Path target = versionPath(batchId);
        try {
            fs.delete(tmp, true);
            open.coalesce(1).write().mode(SaveMode.Overwrite).parquet(tmp.toString());
            try (FSDataOutputStream out = fs.create(new Path(tmp, MAX_FILE), true)) {
                out.write(Long.toString(maxEventTsMs).getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(target, true);
            if (!fs.rename(tmp, target)) throw new IOException("rename " + tmp + " -> " + target + " failed");
            for (long v : versions()) {
                if (v < batchId - KEEP + 1) fs.delete(versionPath(v), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Saving open sessions of batch " + batchId + " to " + dir + " failed", e);
        }
    }

    private Path versionPath(long batchId) {
        return new Path(dir, String.format("%012d", batchId));
    }

    private long latestBelow(long batchId) throws IOException {
        long best = -1;
        for (long v : versions()) if (v < batchId && v > best) best = v;
        return best;
    }

    private List<Long> versions() throws IOException {
        List<Long> out = new ArrayList<>();
        if (!fs.exists(dir)) return out;
        for (FileStatus f : fs.listStatus(dir)) {
            String n = f.getPath().getName();
            if (f.isDirectory() && n.matches("\\d{12}")) out.add(Long.parseLong(n));
        }
        return out;
    }
}
