package io.questlog.stream.dedup;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The event keys one Kafka partition's earlier micro-batches kept, one file per (batch, task) under
 * {@code DIR/p=<partition>/<batchId, 12 digits>-<task partition>}: the first line the newest Kafka
 * timestamp of the file's events (epoch ms), then one key per line ({@link DropSeenEvents#key}). Batch N reads the files of the
 * batches before N only, so a replayed batch sees what its first attempt saw. Files are kept in memory
 * between batches (per JVM, per folder and partition; a file is read once) in one index of every id,
 * so a look-up costs the same however many batches the horizon holds.
 */
final class SeenEventIds {
    /** One file: its batch, its ids and the newest Kafka timestamp among them. */
    private record Logged(long batch, String[] ids, long maxTsMs) {
    }

    /** One partition's files as this JVM knows them, and for every id the newest file (by batch) that logged it. */
    private static final class Index {
        final Map<String, Logged> files = new HashMap<>();
        final Map<String, Logged> newest = new HashMap<>();

        void add(String name, Logged logged) {
            remove(name); // a replay rewrites its batch's file
            files.put(name, logged);
            for (String id : logged.ids()) newest.merge(id, logged, (a, b) -> b.batch() >= a.batch() ? b : a);
        }

        void remove(String name) {
            Logged logged = files.remove(name);
            if (logged == null) return;
            for (String id : logged.ids()) newest.remove(id, logged);
        }
    }

    /** The indexes of the partitions' folders this JVM has read. */
    private static final Map<String, Index> READ = new ConcurrentHashMap<>();

    private final FileSystem fs;
    private final Path partitionDir;
    private final long batchId;
    private final Index index;

    private SeenEventIds(FileSystem fs, Path partitionDir, long batchId, Index index) {
        this.fs = fs;
        this.partitionDir = partitionDir;
        this.batchId = batchId;
        this.index = index;
    }

    /** What Kafka partition {@code partition} had logged before batch {@code batchId}. */
    static SeenEventIds before(String dir, int partition, long batchId, Configuration conf) {
        Path partitionDir = new Path(dir, "p=" + partition);
        try {
            FileSystem fs = partitionDir.getFileSystem(conf);
            Index index = READ.computeIfAbsent(partitionDir.toString(), k -> new Index());
            synchronized (index) {
                Set<String> present = new HashSet<>();
                for (FileStatus f : fs.exists(partitionDir) ? fs.listStatus(partitionDir) : new FileStatus[0]) {
                    String name = f.getPath().getName();
                    if (!f.isFile() || name.contains(".") || batchOf(name) >= batchId) continue;
                    present.add(name);
                    if (!index.files.containsKey(name)) index.add(name, read(fs, f.getPath()));
                }
                // files deleted since: out of the index too (those of this and later batches stay: a replay rewrites them)
                for (String name : List.copyOf(index.files.keySet())) {
                    if (batchOf(name) < batchId && !present.contains(name)) index.remove(name);
                }
            }
            return new SeenEventIds(fs, partitionDir, batchId, index);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the de-duplication log " + partitionDir, e);
        }
    }

    static long batchOf(String fileName) {
        int dash = fileName.indexOf('-');
        return Long.parseLong(dash < 0 ? fileName : fileName.substring(0, dash));
    }

    /**
     * True if {@code key} was logged by a file of an earlier batch whose newest event is at or after
     * {@code sinceMs}. Only the id's newest file is looked at: if that is this batch's own (a replay, in the
     * same JVM), its first attempt logged the id because no earlier file within the horizon had it.
     */
    boolean contains(String key, long sinceMs) {
        synchronized (index) {
            Logged l = index.newest.get(key);
            return l != null && l.batch() < batchId && l.maxTsMs() >= sinceMs;
        }
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
            synchronized (index) {
                index.add(name, new Logged(batchId, ids.toArray(String[]::new), maxTsMs));
                for (Map.Entry<String, Logged> f : List.copyOf(index.files.entrySet())) {
                    if (f.getValue().batch() < batchId && f.getValue().maxTsMs() < oldestNeededMs) {
                        fs.delete(new Path(partitionDir, f.getKey()), false);
                        index.remove(f.getKey());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the de-duplication log " + file, e);
        }
    }

    private static Logged read(FileSystem fs, Path file) throws IOException {
        List<String> ids = new ArrayList<>();
        long maxTs;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            String first = r.readLine();
            if (first == null) throw new IOException("empty de-duplication log file " + file);
            maxTs = Long.parseLong(first);
            for (String line = r.readLine(); line != null; line = r.readLine()) ids.add(line);
        }
        return new Logged(batchOf(file.getName()), ids.toArray(String[]::new), maxTs);
    }

    /** For tests: forget what this JVM read, as a restarted process would. */
    static void forgetCached() {
        READ.clear();
    }
}
