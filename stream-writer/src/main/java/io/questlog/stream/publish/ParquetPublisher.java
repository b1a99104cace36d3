package io.questlog.stream.publish;

import static io.questlog.contract.EnvelopeSchema.EVENT_ID;
import static io.questlog.contract.TableCatalog.RAW;
import static io.questlog.contract.TableCatalog.RAW_EVENT;
import io.questlog.contract.TableCatalog;

import io.questlog.stream.compact.PartitionLocations;
import java.io.IOException;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * Idempotent, atomic publish of one batch's rows into {@code WAREHOUSE/<table>/dt=<d>/}.
 * Rows are written aside to {@code <table>/_staging/<batchId>/} (or, all tables of a batch in one job,
 * {@code _staging/<batchId>/table=<table>/}) by every task in parallel (no shuffle), then
 * each file is renamed to the deterministic {@code dt=<d>/part-<batchId, 12 digits>-<n>.parquet}, where
 * {@code n} is the writing task's partition (times 1000, plus Spark's file counter): a replay reads the
 * same Kafka offsets into the same partitions (one Spark partition per Kafka partition), so a reader sees
 * all of a batch's rows for a partition or none, and a replayed batch finds its names taken and
 * skips them, so no row is published twice. Works on any Hadoop file system (hdfs://, file://).
 * A partition that {@code questlog compact} moved is published into its new folder, and a batch
 * merged there already is skipped by name (see {@link PartitionLocations}).
 */
public final class ParquetPublisher {
    private final Path warehouse;
    private final FileSystem fs;
    private final PartitionRegistrar registrar;
    private final Map<String, Set<String>> knownDts = new ConcurrentHashMap<>();
    private final PartitionLocations locations;

    /** Longest wait for a compaction holding a partition (it takes seconds; a dead one's lock goes stale sooner). */
    static final Duration COMPACTION_WAIT = Duration.ofMinutes(15);

    /** What one publish did: files renamed into place, files skipped as already published, dts touched. */
    public record Published(String table, int filesMoved, int filesSkipped, List<String> dts) {
    }

    public ParquetPublisher(String warehouse, Configuration hadoopConf, PartitionRegistrar registrar) {
        this.warehouse = new Path(warehouse);
        this.registrar = registrar;
        try {
            this.fs = this.warehouse.getFileSystem(hadoopConf);
            this.locations = new PartitionLocations(fs, this.warehouse);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the file system of warehouse " + warehouse, e);
        }
    }

    /**
     * Publishes {@code rows} (the table's columns plus {@code dt}) as batch {@code batchId} of
     * {@code table}. Call only with rows to write: an empty Dataset still writes nothing, but costs a job.
     */
    public Published publish(String table, long batchId, Dataset<Row> rows) {
        return publish(table, batchId, rows, "part");
    }

    /** As above, files named {@code <prefix>-<batchId>-<n>.parquet} (one prefix per producing query). */
    public Published publish(String table, long batchId, Dataset<Row> rows, String prefix) {
        // the prefix in the folder: two queries (tables, sessions) publish into bad_events with the same batch ids at once
        Path staging = new Path(new Path(new Path(warehouse, table), "_staging"), prefix + "-" + batchId);
        try {
            fs.delete(staging, true);
            writer(rows).partitionBy(TableCatalog.PARTITION).parquet(staging.toString());
            Published published = publishStaged(table, batchId, staging, prefix);
            fs.delete(staging, true);
            return published;
        } catch (IOException e) {
            throw failed(table, batchId, e);
        }
    }

    /**
     * Writes the rows of every table of batch {@code batchId} aside in one Spark job: {@code rows} has
     * the column {@code table} (see {@link io.questlog.stream.route.FanOut}) and {@code dt}, and lands in
     * {@code WAREHOUSE/_staging/<batchId>/table=<t>/dt=<d>/}. Returns table -> its staged folder, for the
     * tables with rows; {@link #publishStaged} then moves each into place, {@link #dropStaged} cleans up.
     */
    public Map<String, Path> stage(long batchId, Dataset<Row> rows, String tableColumn) {
        Path staging = stagingOf(batchId);
        try {
            fs.delete(staging, true);
            writer(rows).partitionBy(tableColumn, TableCatalog.PARTITION).parquet(staging.toString());
            Map<String, Path> tables = new TreeMap<>();
            String key = tableColumn + "=";
            for (FileStatus dir : fs.listStatus(staging)) {
                String name = dir.getPath().getName();
                if (dir.isDirectory() && name.startsWith(key)) tables.put(unescape(name.substring(key.length())), dir.getPath());
            }
            return tables;
        } catch (IOException e) {
            throw failed("the batch's tables", batchId, e);
        }
    }

    /** Reads footers: waiting on HDFS, not on the CPU, so more at once than there are cores. */
    private static final ExecutorService FOOTER_READERS = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "questlog-footers");
        t.setDaemon(true);
        return t;
    });

    /**
     * Rows of the Parquet files under each folder of {@code tables} (staged tables), read from their footers
     * only: no Spark job. The files are read all at once: a footer read is two round trips to HDFS, and a batch
     * stages a dozen files.
     */
    public Map<String, Long> rowCounts(Map<String, Path> tables) {
        Map<String, List<Future<Long>>> reads = new TreeMap<>();
        try {
            for (Map.Entry<String, Path> t : tables.entrySet()) {
                List<Future<Long>> files = new ArrayList<>();
                var listed = fs.listFiles(t.getValue(), true);
                while (listed.hasNext()) {
                    Path file = listed.next().getPath();
                    if (file.getName().endsWith(".parquet") && !file.getName().startsWith(".")) {
                        files.add(FOOTER_READERS.submit(() -> rowCount(file)));
                    }
                }
                reads.put(t.getKey(), files);
            }
            Map<String, Long> out = new TreeMap<>();
            for (Map.Entry<String, List<Future<Long>>> t : reads.entrySet()) {
                long rows = 0;
                for (Future<Long> f : t.getValue()) rows += f.get();
                out.put(t.getKey(), rows);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the staged files in " + tables.values(), e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException u ? u : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading footers", e);
        }
    }

    private long rowCount(Path file) {
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, fs.getConf()))) {
            return reader.getRecordCount();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the footer of the staged file " + file, e);
        }
    }

    /** Removes what {@link #stage} wrote for batch {@code batchId} (and the staging folder once empty). */
    public void dropStaged(long batchId) {
        Path staging = stagingOf(batchId);
        try {
            fs.delete(staging, true);
            FileStatus[] left = fs.exists(staging.getParent()) ? fs.listStatus(staging.getParent()) : null;
            if (left != null && left.length == 0) fs.delete(staging.getParent(), false);
        } catch (IOException e) {
            throw failed("the batch's tables", batchId, e);
        }
    }

    /** Columns whose values are (nearly) all distinct: a dictionary for them is built, then given up, on every page. */
    static final List<String> NO_DICTIONARY = List.of(RAW_EVENT, RAW, EVENT_ID);

    private static DataFrameWriter<Row> writer(Dataset<Row> rows) {
        DataFrameWriter<Row> w = rows.write().mode(SaveMode.Overwrite);
        for (String column : NO_DICTIONARY) w = w.option("parquet.enable.dictionary#" + column, "false");
        return w;
    }

    private Path stagingOf(long batchId) {
        return new Path(new Path(warehouse, "_staging"), Long.toString(batchId));
    }

    /**
     * Moves the staged files of {@code table} (folder {@code staged}, holding {@code dt=<d>/} folders of
     * Spark's part files) into place as batch {@code batchId}, files named {@code <prefix>-<batchId>-<n>.parquet}.
     */
    public Published publishStaged(String table, long batchId, Path staged, String prefix) {
        try {
            Map<String, List<Path>> byDt = stagedFiles(staged);
            ensurePartitions(table, byDt.keySet());
            int moved = 0;
            int skipped = 0;
            for (Map.Entry<String, List<Path>> entry : byDt.entrySet()) {
                String dt = entry.getKey();
                // where readers look now: the canonical folder, or the one a compaction moved the partition to
                Path dtDir = locations.forPublish(table, dt, COMPACTION_WAIT);
                Set<String> merged = locations.mergedInto(dtDir);
                Set<String> names = new HashSet<>();
                for (Path file : entry.getValue()) {
                    String name = String.format("%s-%012d-%d.parquet", prefix, batchId, fileNumber(file));
                    names.add(name);
                    Path target = new Path(dtDir, name);
                    if (merged.contains(name) || fs.exists(target)) {
                        fs.delete(file, false);
                        skipped++;
                    } else if (fs.rename(file, target)) {
                        moved++;
                    } else if (fs.exists(target)) {
                        fs.delete(file, false); // another attempt of this batch got there first
                        skipped++;
                    } else {
                        throw new IOException("rename " + file + " -> " + target + " failed");
                    }
                }
                // a compaction switched the partition away while this batch chose its folder: follow it
                Path now = locations.current(table, dt);
                if (!now.equals(dtDir)) {
                    Set<String> others = new HashSet<>();
                    for (FileStatus f : fs.listStatus(dtDir)) if (!names.contains(f.getPath().getName())) others.add(f.getPath().getName());
                    locations.adoptStrays(dtDir, others, now);
                }
            }
            return new Published(table, moved, skipped, List.copyOf(byDt.keySet()));
        } catch (IOException e) {
            throw failed(table, batchId, e);
        }
    }

    private UncheckedIOException failed(String table, long batchId, IOException e) {
        return new UncheckedIOException("Publishing batch " + batchId + " of " + table + " to " + warehouse
                + " failed (is the file system at " + fs.getUri() + " reachable?)", e);
    }

    private static final java.util.regex.Pattern SPARK_FILE = java.util.regex.Pattern.compile("part-(\\d+)-.*\\.c(\\d+)\\..*parquet");

    /** A staged file's number: its task partition * 1000 + Spark's file counter ({@code part-00003-<uuid>.c000...}). */
    static long fileNumber(Path staged) throws IOException {
        java.util.regex.Matcher m = SPARK_FILE.matcher(staged.getName());
        if (!m.matches()) throw new IOException("unexpected staged file name " + staged + " (Spark's naming changed?)");
        return Long.parseLong(m.group(1)) * 1000 + Long.parseLong(m.group(2));
    }

    /**
     * Makes the folders of the dts this process has not registered yet and registers them in one call: a batch
     * of a backfill spanning 1,000 days costs one registration, not one per day.
     */
    private void ensurePartitions(String table, Set<String> dts) throws IOException {
        Set<String> known = knownDts.computeIfAbsent(table, t -> ConcurrentHashMap.newKeySet());
        List<String> fresh = dts.stream().filter(dt -> !known.contains(dt)).sorted().toList();
        if (fresh.isEmpty()) return;
        for (String dt : fresh) fs.mkdirs(locations.canonical(table, dt));
        registrar.register(table, fresh);
        known.addAll(fresh);
    }

    /** dt -> that dt's staged Parquet files in name order. */
    private Map<String, List<Path>> stagedFiles(Path staging) throws IOException {
        Map<String, List<Path>> byDt = new TreeMap<>();
        if (!fs.exists(staging)) return byDt;
        for (FileStatus dir : fs.listStatus(staging)) {
            String name = dir.getPath().getName();
            if (!dir.isDirectory() || !name.startsWith("dt=")) continue;
            List<Path> files = new ArrayList<>();
            for (FileStatus f : fs.listStatus(dir.getPath())) {
                String fn = f.getPath().getName();
                if (f.isFile() && fn.endsWith(".parquet") && !fn.startsWith(".") && !fn.startsWith("_")) {
                    files.add(f.getPath());
                }
            }
            files.sort(Comparator.comparing(Path::getName));
            if (!files.isEmpty()) byDt.put(unescape(name.substring(3)), files);
        }
        return byDt;
    }

    /** Spark escapes partition values in folder names; dates need none, but keep it honest. */
    private static String unescape(String s) {
        return org.apache.spark.sql.catalyst.catalog.ExternalCatalogUtils.unescapePathName(s);
    }
}
