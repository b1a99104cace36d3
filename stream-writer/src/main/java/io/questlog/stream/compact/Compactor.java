package io.questlog.stream.compact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.schema.MessageType;

/**
 * Rewrites one partition's small Parquet files into few large ones while queries run. Row groups are
 * copied as they are ({@link ParquetFileWriter#appendFile}: no decoding, no re-encoding) into a new
 * generation folder; then the metastore is pointed there in one step and the old files are deleted
 * once queries that listed them have had time to finish. A query therefore reads either all the old
 * files or the merged ones: never a row missing, never a row twice. Steps, for table t and dt d:
 * <ol>
 *   <li>take {@code t/_compacted/dt=d/LOCK} (the stream-writer waits while it exists), wait
 *       {@code publishGrace} so a publish that began before the lock has landed;</li>
 *   <li>merge the current folder's files into {@code t/_compacted/dt=d/g<ms>/compact-<n>.parquet},
 *       listing every merged writer file name in {@code _sources} (a replayed batch finds its names there);</li>
 *   <li>{@code ALTER TABLE t PARTITION (dt=d) SET LOCATION} the new folder, record it in {@code CURRENT}
 *       (the writer publishes there from now on), release the lock;</li>
 *   <li>after {@code readGrace}, delete the merged files (and an old generation folder).</li>
 * </ol>
 */
public final class Compactor {
    private final FileSystem fs;
    private final Configuration conf;
    private final PartitionLocations locations;
    private final LocationSwitch metastore;
    private final Duration publishGrace;
    private final Duration readGrace;
    private final long targetBytes;

    /** What one partition's compaction did. */
    public record Result(String table, String dt, int filesBefore, int filesAfter, long bytes, String location) {
        @Override
        public String toString() {
            return table + "/dt=" + dt + ": " + (filesBefore == filesAfter ? filesBefore + " file(s), nothing to do"
                    : filesBefore + " files -> " + filesAfter + " (" + bytes / 1024 + " KiB), now at " + location);
        }
    }

    public Compactor(FileSystem fs, Path warehouse, LocationSwitch metastore, Duration publishGrace, Duration readGrace,
                     long targetBytes) {
        this.fs = fs;
        this.conf = fs.getConf();
        this.locations = new PartitionLocations(fs, warehouse);
        this.metastore = metastore;
        this.publishGrace = publishGrace;
        this.readGrace = readGrace;
        this.targetBytes = targetBytes;
    }

    public PartitionLocations locations() {
        return locations;
    }

    public Result compact(String table, String dt) throws Exception {
        // the lock is a lease the writer stops honouring after PartitionLocations.STALE_LOCK: a compaction paused
        // longer is made safe by both sides adopting files published into a folder switched away (adoptStrays)
        if (!locations.lock(table, dt)) {
            throw new IllegalStateException("another compaction of " + table + "/dt=" + dt + " holds "
                    + new Path(locations.meta(table, dt), PartitionLocations.LOCK));
        }
        Path from;
        List<FileStatus> files;
        Path gen;
        int written;
        long bytes = 0;
        try {
            Thread.sleep(publishGrace.toMillis());
            from = locations.current(table, dt);
            files = dataFiles(from);
            if (files.size() < 2) return new Result(table, dt, files.size(), files.size(), 0, from.toString());
            gen = new Path(locations.meta(table, dt), "g" + System.currentTimeMillis());
            fs.mkdirs(gen);
            written = write(files, gen);
            Set<String> sources = new LinkedHashSet<>(locations.mergedInto(from));
            for (FileStatus f : files) {
                sources.add(f.getPath().getName());
                bytes += f.getLen();
            }
            try (FSDataOutputStream out = fs.create(new Path(gen, PartitionLocations.SOURCES), true)) {
                out.write(String.join("\n", sources).concat("\n").getBytes(StandardCharsets.UTF_8));
            }
            metastore.setLocation(table, dt, fs.makeQualified(gen).toString());
            locations.setCurrent(table, dt, gen);
        } finally {
            locations.unlock(table, dt);
        }
        // a writer that found the lock stale (this compaction paused for longer) may have published into `from`
        Set<String> merged = new LinkedHashSet<>();
        for (FileStatus f : files) merged.add(f.getPath().getName());
        locations.adoptStrays(from, merged, gen);
        Thread.sleep(readGrace.toMillis()); // queries that listed the old files may still read them
        for (FileStatus f : files) fs.delete(f.getPath(), false);
        locations.adoptStrays(from, merged, gen);
        if (from.getParent().equals(locations.meta(table, dt)) && fs.listStatus(from).length <= 1) {
            fs.delete(from, true); // an older generation, holding nothing but its _sources now
        }
        return new Result(table, dt, files.size(), written, bytes, fs.makeQualified(gen).toString());
    }

    /** Parquet files readers see in {@code dir} (names starting with "_" or "." are not data), by name. */
    public List<FileStatus> dataFiles(Path dir) throws IOException {
        List<FileStatus> out = new ArrayList<>();
        if (!fs.exists(dir)) return out;
        for (FileStatus f : fs.listStatus(dir)) {
            String n = f.getPath().getName();
            if (f.isFile() && !n.startsWith("_") && !n.startsWith(".")) out.add(f);
        }
        out.sort(Comparator.comparing(f -> f.getPath().getName()));
        return out;
    }

    /** Merges runs of files with one schema, up to about {@code targetBytes} each; returns the files written. */
    private int write(List<FileStatus> files, Path gen) throws IOException {
        int n = 0;
        List<FileStatus> run = new ArrayList<>();
        MessageType runSchema = null;
        long runBytes = 0;
        for (FileStatus f : files) {
            MessageType schema = footer(f.getPath()).getFileMetaData().getSchema();
            if (!run.isEmpty() && (!schema.equals(runSchema) || runBytes + f.getLen() > targetBytes)) {
                merge(run, new Path(gen, String.format("compact-%04d.parquet", n++)));
                run.clear();
                runBytes = 0;
            }
            run.add(f);
            runSchema = schema;
            runBytes += f.getLen();
        }
        if (!run.isEmpty()) merge(run, new Path(gen, String.format("compact-%04d.parquet", n++)));
        return n;
    }

    private void merge(List<FileStatus> run, Path target) throws IOException {
        Path tmp = new Path(target.getParent(), "_" + target.getName() + ".tmp");
        if (run.size() == 1) {
            FileUtil.copy(fs, run.get(0).getPath(), fs, tmp, false, true, conf);
        } else {
            ParquetMetadata first = footer(run.get(0).getPath());
            ParquetFileWriter w = new ParquetFileWriter(HadoopOutputFile.fromPath(tmp, conf),
                    first.getFileMetaData().getSchema(), ParquetFileWriter.Mode.OVERWRITE, targetBytes, 0);
            w.start();
            for (FileStatus f : run) w.appendFile(HadoopInputFile.fromPath(f.getPath(), conf));
            w.end(first.getFileMetaData().getKeyValueMetaData());
        }
        if (!fs.rename(tmp, target)) throw new IOException("rename " + tmp + " -> " + target + " failed");
    }

    private ParquetMetadata footer(Path file) throws IOException {
        try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
            return r.getFooter();
        }
    }
}
