package io.questlog.stream.dedup;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The event_ids one Kafka partition's earlier micro-batches kept, one file per (batch, task) under
 * {@code DIR/p=<partition>/<batchId, 12 digits>-<task partition>}: the first line the newest Kafka
 * timestamp of the file's events (epoch ms), then one event_id per line. Batch N reads the files of the
 * batches before N only, so a replayed batch sees what its first attempt saw. Files are kept in memory
 * between batches (per JVM, per folder and partition) and re-read only when the folder holds others.
 */
final class SeenEventIds {
    /** One file's ids and the newest Kafka timestamp among them. */
    record Logged(Set<String> ids, long maxTsMs) {
    }

    /** Files already read, by folder of a partition, then by file name. */
    private static final Map<String, Map<String, Logged>> READ = new ConcurrentHashMap<>();

    private final FileSystem fs;
    private final Path partitionDir;
    private final Map<String, Logged> files; // name -> ids, the batches before this one
    private final Map<String, Logged> cached; // this partition's entry of READ

    private SeenEventIds(FileSystem fs, Path partitionDir, Map<String, Logged> files, Map<String, Logged> cached) {
        this.fs = fs;
        this.partitionDir = partitionDir;
        this.files = files;
        this.cached = cached;
    }

    /** What Kafka partition {@code partition} had logged before batch {@code batchId}. */
    static SeenEventIds before(String dir, int partition, long batchId, Configuration conf) {
        Path partitionDir = new Path(dir, "p=" + partition);
        try {
            FileSystem fs = partitionDir.getFileSystem(conf);
            Map<String, Logged> cached = READ.computeIfAbsent(partitionDir.toString(), k -> new ConcurrentHashMap<>());
            Map<String, Logged> files = new TreeMap<>();
            for (FileStatus f : fs.exists(partitionDir) ? fs.listStatus(partitionDir) : new FileStatus[0]) {
                String name = f.getPath().getName();
                if (!f.isFile() || name.contains(".") || batchOf(name) >= batchId) continue;
                Logged logged = cached.get(name);
                if (logged == null) {
                    logged = read(fs, f.getPath());
                    cached.put(name, logged);
                }
                files.put(name, logged);
            }
            // files deleted since: out of the cache too (those of this and later batches stay: a replay rewrites them)
            cached.keySet().removeIf(name -> batchOf(name) < batchId && !files.containsKey(name));
            return new SeenEventIds(fs, partitionDir, files, cached);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the de-duplication log " + partitionDir, e);
        }
    }

    static long batchOf(String fileName) {
        int dash = fileName.indexOf('-');
        return Long.parseLong(dash < 0 ? fileName : fileName.substring(0, dash));
    }

    /** True if {@code eventId} was logged by a file whose newest event is at or after {@code sinceMs}. */
    boolean contains(String eventId, long sinceMs) {
        for (Logged l : files.values()) if (l.maxTsMs() >= sinceMs && l.ids().contains(eventId)) return true;
        return false;
    }

    /**
     * Logs batch {@code batchId}'s new ids as this task's file, then deletes the files no event at or
     * after {@code oldestNeededMs} can need (newest event older than that). Only files of earlier
     * batches are deleted, and only by a batch whose events are all past them: a replay of this batch
     * still finds every file it read the first time that it needs.
     */
    void log(long batchId, int task, Set<String> ids, long maxTsMs, long oldestNeededMs) {
        String name = String.format("%012d-%d", batchId, task);
        Path file = new Path(partitionDir, name);
        Path tmp = new Path(partitionDir, name + ".tmp");
        try {
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(fs.create(tmp, true), StandardCharsets.UTF_8))) {
                w.write(Long.toString(maxTsMs));
                w.write('\n');
                for (String id : ids) {
                    w.write(id);
                    w.write('\n');
                }
            }
            fs.delete(file, false);
            if (!fs.rename(tmp, file)) throw new IOException("rename " + tmp + " -> " + file + " failed");
            cached.put(name, new Logged(ids, maxTsMs));
            for (Map.Entry<String, Logged> f : files.entrySet()) {
                if (f.getValue().maxTsMs() < oldestNeededMs) {
                    fs.delete(new Path(partitionDir, f.getKey()), false);
                    cached.remove(f.getKey());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the de-duplication log " + file, e);
        }
    }

    private static Logged read(FileSystem fs, Path file) throws IOException {
        Set<String> ids = new HashSet<>();
        long maxTs;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String first = r.readLine();
            if (first == null) throw new IOException("empty de-duplication log file " + file);
            maxTs = Long.parseLong(first);
            for (String line = r.readLine(); line != null; line = r.readLine()) ids.add(line);
        }
        return new Logged(ids, maxTs);
    }

    /** For tests: forget what this JVM read, as a restarted process would. */
    static void forgetCached() {
        READ.clear();
    }
}
