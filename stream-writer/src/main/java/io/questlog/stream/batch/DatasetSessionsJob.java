package io.questlog.stream.batch;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a dataset (a folder, a file or a glob of NDJSON, plain or gzip, over any Hadoop file system), writes
 * {@code OUTPUT/sessions_by_GROUP.json} and the rejected lines next to it, and reports what it read.
 */
public final class DatasetSessionsJob {
    /** What one run reads and writes; {@code gapMs} is MAX_SESSION_SECONDS in milliseconds. */
    public record Options(String input, String output, DatasetSessions.Keys keys, long gapMs) {}

    /** What one run found: sessions per group, events read, rejected lines per reason. */
    public record Result(Map<String, Long> sessions, long events, Map<String, Long> rejects, String jsonFile, String rejectsDir) {
        long rejected() {
            return rejects.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private DatasetSessionsJob() {
    }

    public static Result run(SparkSession spark, Options o, PrintStream out) throws IOException {
        long t0 = System.nanoTime();
        Dataset<Row> parsed = DatasetSessions.parse(spark.read().text(o.input()), o.keys());
        String base = o.output().replaceAll("/+$", "") + "/sessions_by_" + o.keys().group();
        String rejectsDir = base + ".rejects";

        Map<String, Long> sessions = new TreeMap<>();
        Map<String, Long> rejects = new TreeMap<>();
        long events = 0;
        for (Row r : DatasetSessions.countByGroup(parsed, o.gapMs()).collectAsList()) {
            if (!r.isNullAt(0)) {
                rejects.put(r.getString(0), r.getLong(3));
            } else {
                if (r.getLong(2) > 0) sessions.put(r.getString(1), r.getLong(2)); // a group seen only mid-session has none
                events += r.getLong(3);
            }
        }
        // the rejected lines, read again only when there are some: a clean dataset is read once
        if (!rejects.isEmpty()) {
            parsed.filter(col("error").isNotNull())
                    .select(to_json(struct(col("error"), col("file"), col("line"))).as("value"))
                    .coalesce(1).write().mode(SaveMode.Overwrite).text(rejectsDir);
        } else {
            Path old = path(rejectsDir);
            old.getFileSystem(spark.sparkContext().hadoopConfiguration()).delete(old, true); // an earlier run's
        }
        String jsonFile = base + ".json";
        write(spark, jsonFile, DatasetSessions.json(sessions) + "\n");

        Result result = new Result(sessions, events, rejects, jsonFile, rejectsDir);
        long s = sessions.values().stream().mapToLong(Long::longValue).sum();
        out.printf("read %d lines from %s: %d events, %d rejected%s%n", events + result.rejected(), o.input(), events,
                result.rejected(), result.rejected() == 0 ? "" : " " + rejects + " (the lines: " + rejectsDir + ")");
        out.printf("%d sessions by %s (gap > %d s starts one) in %.1f s: %s%n", s, o.keys().group(), o.gapMs() / 1000,
                (System.nanoTime() - t0) / 1e9, jsonFile);
        out.println(DatasetSessions.json(sessions));
        return result;
    }

    private static void write(SparkSession spark, String file, String text) throws IOException {
        Path p = path(file);
        FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
        try (OutputStream os = fs.create(p, true)) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A path as given (hdfs://, s3a://, file:) or, without a scheme, a local one. */
    private static Path path(String s) {
        return new Path(URI.create(s.contains(":") ? s : new java.io.File(s).toURI().toString()));
    }
}
