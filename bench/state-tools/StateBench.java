import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_json;

import io.questlog.contract.Env;
import io.questlog.contract.Routes;
import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.dedup.DropSeenEvents;
import io.questlog.stream.parse.Parse;
import io.questlog.stream.pipeline.Pipeline;
import io.questlog.stream.publish.EventTablesWriter;
import io.questlog.stream.publish.ParquetPublisher;
import io.questlog.stream.publish.PartitionRegistrar;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * U distinct users inside the session gap: batch 0 opens a session for each, batch 1 adds an event to each.
 * {@code driver-merge}: today's-before design (DriverMergeBaseline: sessions merged on the driver);
 * {@code state-store}: the job's "sessions" query (transformWithState, RocksDB). Both read the same Kafka-shaped
 * rows from Parquet written first (by Spark, not the driver), in one local[2] JVM as the launcher runs the job
 * (-Xmx2g): driver and executor share the heap, so the state-store run's heap is an upper bound for its driver.
 * The state-store run also runs the tables query's batch function on the batch first (the old design did both in
 * one batch): seconds is their sum, each also printed. Prints per batch: seconds, heap after a full GC, peak heap since the data was written, and the process's peak
 * resident memory (RocksDB keeps its state outside the heap).
 */
public class StateBench {
    public static void main(String[] args) throws Exception {
        long users = Long.parseLong(args[0]);
        String design = args[1];
        Path dir = Files.createTempDirectory("questlog-state-bench");
        SparkSession spark = Pipeline.configure(SparkSession.builder()).master("local[2]").appName("state-bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .config("spark.sql.adaptive.enabled", "false").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        long now = System.currentTimeMillis();
        for (int batch = 0; batch < 2; batch++) {
            long ts = now - Duration.ofMinutes(10 - batch).toMillis();
            spark.range(users).repartition(4).select(lit(null).cast("binary").as("key"),
                    to_json(struct(concat(lit("b" + batch + "-"), col("id").cast("string")).as("event_id"),
                            lit("default").as("event_type"), concat(lit("user-"), col("id").cast("string")).as("user_id"),
                            lit(ts).as("event_ts"), lit(ts).as("received_ts"), lit("Chrome").as("browser_family"),
                            lit("Linux").as("os_family"), lit("Other").as("device_family"))).cast("binary").as("value"),
                    lit("events").as("topic"), col("id").mod(4).cast("int").as("partition"), col("id").as("offset"),
                    lit(new java.sql.Timestamp(now)).as("timestamp"), lit(0).as("timestampType"))
                    .write().parquet(dir.resolve("batch-" + batch).toUri().toString());
        }
        Dataset<Row> template = spark.read().parquet(dir.resolve("batch-0").toUri().toString());
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) p.resetPeakUsage();
        System.out.printf("design=%s users=%d max_heap_mb=%d%n", design, users, Runtime.getRuntime().maxMemory() >> 20);

        var conf = spark.sparkContext().hadoopConfiguration();
        String wh = dir.resolve("wh").toUri().toString();
        if (design.equals("driver-merge")) {
            DriverMergeBaseline writer = new DriverMergeBaseline(new ParquetPublisher(wh, conf, PartitionRegistrar.NONE),
                    Routes.parse(Routes.DEFAULT, e -> { }), dir.resolve("sessions").toUri().toString(), conf,
                    Duration.ofMinutes(30), Duration.ofMinutes(10),
                    new DropSeenEvents(dir.resolve("seen").toUri().toString(), Duration.ofMinutes(5)));
            for (int batch = 0; batch < 2; batch++) {
                long t0 = System.nanoTime();
                long open = writer.publish(batch, Parse.classify(spark.read().parquet(dir.resolve("batch-" + batch).toUri().toString())));
                report(batch, t0, open);
            }
        } else {
            StreamConfig cfg = StreamConfig.from(new Env(Map.of("QUESTLOG_WAREHOUSE", wh,
                    "QUESTLOG_CHECKPOINTS", dir.resolve("checkpoints").toUri().toString(),
                    "QUESTLOG_TRIGGER", "100 ms", "QUESTLOG_TRINO_JDBC", "none")));
            Path input = dir.resolve("input");
            Files.createDirectories(input);
            // the job's other query, on the same batch in the same JVM: the old design's batch did both
            EventTablesWriter tables = new EventTablesWriter(new ParquetPublisher(wh, conf, PartitionRegistrar.NONE),
                    Routes.parse(Routes.DEFAULT, e -> { }), new DropSeenEvents(dir.resolve("seen").toUri().toString(),
                    Duration.ofMinutes(5)));
            StreamingQuery q = new Pipeline(spark, cfg, PartitionRegistrar.NONE).startSessions(spark.readStream()
                    .schema(template.schema()).option("maxFilesPerTrigger", 1).parquet(input.toUri().toString()));
            try {
                for (int batch = 0; batch < 2; batch++) {
                    long t0 = System.nanoTime();
                    tables.publish(batch, Parse.classify(spark.read().parquet(dir.resolve("batch-" + batch).toUri().toString())));
                    System.out.printf("batch=%d tables_query_seconds=%.1f%n", batch, (System.nanoTime() - t0) / 1e9);
                    long t1 = System.nanoTime();
                    try (var files = Files.list(dir.resolve("batch-" + batch))) {
                        int n = 0;
                        for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).toList()) {
                            Files.move(f, input.resolve("b" + batch + "-" + n++ + ".parquet"));
                        }
                    }
                    q.processAllAvailable();
                    System.out.printf("batch=%d sessions_query_seconds=%.1f%n", batch, (System.nanoTime() - t1) / 1e9);
                    report(batch, t0, users);
                }
            } finally {
                q.stop();
            }
        }
        spark.stop();
    }

    private static void report(int batch, long t0, long open) throws Exception {
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.gc();
        long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        String hwm = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .findFirst().orElse("VmHWM: ? kB").replaceAll("\\D+", " ").trim();
        System.out.printf("batch=%d seconds=%.1f heap_after_gc_mb=%d peak_heap_mb=%d peak_rss_mb=%d open_sessions=%d%n",
                batch, seconds, used >> 20, peak >> 20, hwm.isEmpty() ? -1 : Long.parseLong(hwm.split(" ")[0]) >> 10, open);
    }
}
