package io.questlog.stream.sessions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.max;

import io.questlog.contract.Env;
import io.questlog.stream.Pipeline;
import io.questlog.stream.StreamConfig;
import io.questlog.stream.compact.PartitionLocations;
import java.io.IOException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * `./questlog sessions --batch`: recomputes sessions from the `events` table with a Spark batch job
 * ({@link Sessions#sessionize}: {@code session_window} over all events at once, the rule the stream
 * applies batch by batch through {@link OpenSessions}) and compares them with the streaming
 * `sessions` table on closed sessions. Exit 0 when they agree, 1 on any difference.
 */
public final class CompareSessions {
    /** matched: same key and every column equal; a key present on both sides with other values counts on both "only" sides. */
    public record Result(long matched, long onlyStream, long onlyBatch) {
        public boolean agree() { return onlyStream == 0 && onlyBatch == 0; }
    }

    private CompareSessions() {}

    /**
     * Closed means the stream must have emitted it: its session_window end (last event + gap) is at
     * or before the watermark implied by the newest event (max event_ts - watermark delay), an event's time
     * taken no later than its receipt, as the stream takes it ({@link SessionPieces#trustedTime}).
     */
    public static Dataset<Row> closedBatchSessions(Dataset<Row> events, Duration gap, Duration watermark) {
        Column trusted = Arrays.asList(events.columns()).contains("received_ts")
                ? least(col("event_ts"), coalesce(col("received_ts"), col("event_ts"))) : col("event_ts");
        Timestamp newest = events.agg(max(trusted)).first().getTimestamp(0);
        Dataset<Row> batch = Sessions.sessionize(events, gap, watermark);
        if (newest == null) return batch.limit(0);
        Timestamp cutoff = new Timestamp(newest.getTime() - watermark.toMillis() - gap.toMillis());
        return batch.where(col("session_end").leq(lit(cutoff)));
    }

    public static Result compare(Dataset<Row> stream, Dataset<Row> batch) {
        List<String> cols = Sessions.COLUMNS;
        Dataset<Row> s = stream.selectExpr(cols.toArray(String[]::new));
        Dataset<Row> b = batch.selectExpr(cols.toArray(String[]::new));
        long matched = s.intersectAll(b).count();
        return new Result(matched, s.exceptAll(b).count(), b.exceptAll(s).count());
    }

    /** A table's rows as readers see them: each partition from its current folder (compaction moves partitions). */
    static Dataset<Row> table(SparkSession spark, String warehouse, String table) throws IOException {
        Path root = new Path(warehouse);
        PartitionLocations locations = new PartitionLocations(root.getFileSystem(spark.sparkContext().hadoopConfiguration()), root);
        String[] folders = locations.currentFolders(table).stream().map(Path::toString).toArray(String[]::new);
        if (folders.length == 0) throw new IllegalStateException("no partitions in " + warehouse + "/" + table + " yet");
        return spark.read().parquet(folders);
    }

    public static void main(String[] args) throws IOException {
        StreamConfig cfg = StreamConfig.from(Env.system());
        SparkSession.Builder builder = Pipeline.configure(SparkSession.builder().appName("questlog-sessions-batch"));
        if (!new SparkConf().contains("spark.master")) builder.master(cfg.sparkMaster());
        SparkSession spark = builder.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> events = table(spark, cfg.warehouse(), "events");
        Dataset<Row> stream = table(spark, cfg.warehouse(), "sessions").cache();
        Dataset<Row> batch = closedBatchSessions(events, cfg.sessionGap(), cfg.watermark()).cache();
        Result r = compare(stream, batch);
        System.out.printf("sessions compared (gap %s, watermark %s): matched=%d only-stream=%d only-batch=%d%n",
                cfg.sessionGap(), cfg.watermark(), r.matched(), r.onlyStream(), r.onlyBatch());
        if (!r.agree()) {
            Column key = col("user_id");
            System.out.println("examples only in the stream:");
            String[] cols = Sessions.COLUMNS.toArray(String[]::new);
            stream.selectExpr(cols).exceptAll(batch.selectExpr(cols)).orderBy(key).show(5, false);
            System.out.println("examples only in the batch recompute:");
            batch.selectExpr(cols).exceptAll(stream.selectExpr(cols)).orderBy(key).show(5, false);
        }
        spark.stop();
        System.exit(r.agree() ? 0 : 1);
    }
}
