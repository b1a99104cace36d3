import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.questlog.stream.batch.DatasetSessions;
import io.questlog.stream.batch.DatasetSessionsJob;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * `sessions --input` over N generated lines against the textbook formulation of the challenge (lag over a window
 * per user, a running sum of new-session flags as the session id, then the first family per session), in one
 * local[2] JVM: wall time and lines/s of each, and whether the answers agree.
 */
public class SessionsBench {
    static final long GAP_MS = 1_800_000L;
    static final String[] FAMILIES = {"iPhone", "Samsung SM-S918B", "Pixel 8", "Other", "iPad", "Mac"};

    public static void main(String[] a) throws Exception {
        long lines = Long.parseLong(a[0]);
        Path dir = Path.of(a[1]);
        Path input = dir.resolve("input");
        if (!Files.exists(input.resolve("_DONE_" + lines))) generate(input, lines);
        SparkSession spark = SparkSession.builder().master("local[2]").appName("sessions-bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "8")
                .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        // both once over one of the 8 files first, so neither pays for the JIT and Spark's first job alone
        ours(spark, input + "/part-0.ndjson", dir);
        textbook(spark, input + "/part-0.ndjson");

        long t0 = System.nanoTime();
        Map<String, Long> ours = ours(spark, input + "/*.ndjson", dir);
        double oursS = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        Map<String, Long> textbook = textbook(spark, input + "/*.ndjson");
        double textbookS = (System.nanoTime() - t0) / 1e9;

        System.out.printf("%n| job | lines | wall s | lines/s |%n|---|---|---|---|%n");
        System.out.printf("| sessions --input (lag, count session starts) | %,d | %.1f | %,.0f |%n", lines, oursS, lines / oursS);
        System.out.printf("| textbook (lag, running sum, first per session) | %,d | %.1f | %,.0f |%n", lines, textbookS, lines / textbookS);
        System.out.println("answers agree: " + textbook.equals(ours) + (textbook.equals(ours) ? "" : " textbook=" + textbook));
        spark.stop();
    }

    static Map<String, Long> ours(SparkSession spark, String input, Path dir) throws Exception {
        var keys = new DatasetSessions.Keys("anonymous_id", "device_sent_timestamp", "device_family");
        return DatasetSessionsJob.run(spark, new DatasetSessionsJob.Options(input, dir.resolve("out").toString(), keys, GAP_MS), System.out).sessions();
    }

    static Map<String, Long> textbook(SparkSession spark, String input) {
        var w = Window.partitionBy("anonymous_id").orderBy("device_sent_timestamp");
        Map<String, Long> out = new TreeMap<>();
        for (Row r : spark.read().schema("anonymous_id STRING, device_sent_timestamp LONG, device_family STRING").json(input)
                .withColumn("prev", lag("device_sent_timestamp", 1).over(w))
                .withColumn("new_session", when(col("prev").isNull().or(col("device_sent_timestamp").minus(col("prev")).gt(GAP_MS)), 1).otherwise(0))
                .withColumn("session_id", sum("new_session").over(w.rowsBetween(Window.unboundedPreceding(), Window.currentRow())))
                .groupBy("anonymous_id", "session_id").agg(first("device_family").as("family"))
                .groupBy("family").agg(count(lit(1)))
                .collectAsList()) {
            out.put(r.getString(0), r.getLong(1));
        }
        return out;
    }

    /** Users with sessions of a few events, gaps around the limit, families changing now and then; 8 files. */
    static void generate(Path input, long lines) throws Exception {
        Files.createDirectories(input);
        SplittableRandom r = new SplittableRandom(42);
        long users = Math.max(1, lines / 40);
        BufferedWriter[] out = new BufferedWriter[8];
        for (int i = 0; i < out.length; i++) out[i] = Files.newBufferedWriter(input.resolve("part-" + i + ".ndjson"));
        long written = 0;
        for (long u = 0; written < lines; u = (u + 1) % users) {
            String id = String.format("%08X-%04X-4%03X-A%03X-%012X", u, u & 0xffff, u & 0xfff, u & 0xfff, u);
            long t = 1_554_000_000_000L + r.nextLong(30L * 86_400_000L);
            String family = FAMILIES[r.nextInt(FAMILIES.length)];
            for (int e = 0, n = 1 + r.nextInt(8); e < n && written < lines; e++, written++) {
                if (r.nextInt(20) == 0) family = FAMILIES[r.nextInt(FAMILIES.length)];
                out[(int) (written % out.length)].write("{\"anonymous_id\":\"" + id + "\",\"device_sent_timestamp\":" + t
                        + ",\"browser_family\":\"Other\",\"os_family\":\"Other\",\"device_family\":\"" + family + "\"}\n");
                t += r.nextInt(3) == 0 ? GAP_MS + 1 + r.nextLong(GAP_MS) : 1 + r.nextLong(GAP_MS);
            }
        }
        for (BufferedWriter w : out) w.close();
        Files.createFile(input.resolve("_DONE_" + lines));
    }
}
