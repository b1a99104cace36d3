package io.questlog.stream.compact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Where a partition's files live. A partition starts at {@code <table>/dt=<d>/}; compaction writes
 * its merged files to {@code <table>/_compacted/dt=<d>/g<n>/}, points the metastore there and records
 * the folder in {@code _compacted/dt=<d>/CURRENT}, so the stream-writer publishes later batches where
 * readers look. While {@code _compacted/dt=<d>/LOCK} exists a compaction is choosing files: the writer
 * waits for it to go. Names under {@code _compacted} start with "_" where they sit in the table
 * folder, so Spark's and Trino's partition discovery never read them as partitions of their own.
 */
public final class PartitionLocations {
    public static final String COMPACTED = "_compacted";
    static final String CURRENT = "CURRENT";
    static final String LOCK = "LOCK";
    /** In a generation folder: the names of every writer file merged into it (so a replayed batch is skipped). */
    static final String SOURCES = "_sources";
    /** A lock this old is from a compaction that died: ignored by the writer, taken over by the next compaction. */
    static final Duration STALE_LOCK = Duration.ofMinutes(10);

    private final FileSystem fs;
    private final Path warehouse;
    private final Map<Path, Set<String>> mergedNames = new ConcurrentHashMap<>();

    public PartitionLocations(FileSystem fs, Path warehouse) {
        this.fs = fs;
        this.warehouse = warehouse;
    }

    public Path canonical(String table, String dt) {
        return new Path(new Path(warehouse, table), "dt=" + dt);
    }

    Path meta(String table, String dt) {
        return new Path(new Path(new Path(warehouse, table), COMPACTED), "dt=" + dt);
    }

    /** The folder readers see now: the last compacted generation, else the canonical folder. */
    public Path current(String table, String dt) throws IOException {
        Path meta = meta(table, dt);
        Path pointer = new Path(meta, CURRENT);
        if (!fs.exists(pointer)) return canonical(table, dt);
        try (var in = fs.open(pointer)) {
            return new Path(meta, new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
        }
    }

    /** Every partition's {@link #current} folder of {@code table}: the table as a reader sees it, compacted partitions included. */
    public List<Path> currentFolders(String table) throws IOException {
        List<Path> out = new ArrayList<>();
        Path root = new Path(warehouse, table);
        if (!fs.exists(root)) return out;
        for (FileStatus s : fs.listStatus(root)) {
            String name = s.getPath().getName();
            if (s.isDirectory() && name.startsWith("dt=")) out.add(current(table, name.substring(3)));
        }
        return out;
    }

    /**
     * Where the writer publishes now: waits (up to {@code maxWait}) while a compaction holds the
     * partition, then answers {@link #current}. One existence check when the partition was never compacted.
     */
    public Path forPublish(String table, String dt, Duration maxWait) throws IOException {
        Path meta = meta(table, dt);
        if (!fs.exists(meta)) return canonical(table, dt);
        long until = System.currentTimeMillis() + maxWait.toMillis();
        while (locked(new Path(meta, LOCK))) {
            if (System.currentTimeMillis() > until) {
                throw new IOException("partition " + table + "/dt=" + dt + " has been locked by a compaction for over "
                        + maxWait.toSeconds() + " s: if no `questlog compact` runs, remove " + new Path(meta, LOCK));
            }
            sleep(500);
        }
        return current(table, dt);
    }

    /**
     * Names of writer files already merged into {@code dir} (a generation folder); empty for the
     * canonical folder. Generations never change once current, so this is read once per folder.
     */
    public Set<String> mergedInto(Path dir) throws IOException {
        Set<String> known = mergedNames.get(dir);
        if (known != null) return known;
        Path sources = new Path(dir, SOURCES);
        Set<String> names = Set.of();
        if (fs.exists(sources)) {
            try (var in = fs.open(sources)) {
                names = Set.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .filter(l -> !l.isBlank()).distinct().toArray(String[]::new));
            }
        }
        mergedNames.put(dir, names);
        return names;
    }

    /**
     * Moves the data files of {@code from} that are not in {@code leave} and were not merged into {@code to}
     * into {@code to}; returns how many. Both sides of a compaction call it, so a file published into a folder
     * just switched away is never left where readers no longer look, however long either side was paused:
     * the compaction after switching (files a writer published while it held a lock gone stale), the writer
     * after publishing (a switch that came between its choice of folder and its rename). A file the other
     * side moved first is skipped.
     */
    public int adoptStrays(Path from, Set<String> leave, Path to) throws IOException {
        if (from.equals(to) || !fs.exists(from)) return 0;
        Set<String> merged = mergedInto(to);
        int moved = 0;
        for (FileStatus f : fs.listStatus(from)) {
            String n = f.getPath().getName();
            if (!f.isFile() || n.startsWith("_") || n.startsWith(".") || leave.contains(n) || merged.contains(n)) continue;
            Path target = new Path(to, n);
            if (fs.exists(target)) continue;
            if (fs.rename(f.getPath(), target)) moved++;
        }
        return moved;
    }

    private boolean locked(Path lock) throws IOException {
        try {
            return System.currentTimeMillis() - fs.getFileStatus(lock).getModificationTime() < STALE_LOCK.toMillis();
        } catch (java.io.FileNotFoundException e) {
            return false;
        }
    }

    /** Takes the partition's compaction lock (taking over a stale one); false if another compaction holds it. */
    boolean lock(String table, String dt) throws IOException {
        Path lock = new Path(meta(table, dt), LOCK);
        fs.mkdirs(lock.getParent());
        if (fs.exists(lock) && !locked(lock)) fs.delete(lock, false);
        try (FSDataOutputStream out = fs.create(lock, false)) {
            out.write(Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8));
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(lock)) return false;
            throw e;
        }
    }

    void unlock(String table, String dt) throws IOException {
        fs.delete(new Path(meta(table, dt), LOCK), false);
    }

    /** Records {@code generation} (a folder in the partition's meta folder) as current, atomically. */
    void setCurrent(String table, String dt, Path generation) throws IOException {
        Path meta = meta(table, dt);
        Path tmp = new Path(meta, "_" + CURRENT + ".tmp");
        try (FSDataOutputStream out = fs.create(tmp, true)) {
            out.write(generation.getName().getBytes(StandardCharsets.UTF_8));
        }
        FileContext.getFileContext(fs.getUri(), fs.getConf()).rename(tmp, new Path(meta, CURRENT), Options.Rename.OVERWRITE);
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a compaction lock", e);
        }
    }
}
