package io.questlog.stream.sessions;

import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.TableCatalog.SESSION_END;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.max;

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
import org.apache.spark.sql.SparkSession;

/**
 * Recomputes sessions from the `events` table with a Spark batch job
 * ({@link Sessions#sessionize}: {@code session_window} over all events at once, the rule the stream
 * applies batch by batch through {@link OpenSessions}) and compares them with the streaming
 * `sessions` table on closed sessions (`./questlog sessions --batch`, {@code io.questlog.stream.app.CompareSessions}).
 */
public final class BatchSessions {
    /** matched: same key and every column equal; a key present on both sides with other values counts on both "only" sides. */
    public record Result(long matched, long onlyStream, long onlyBatch) {
        public boolean agree() { return onlyStream == 0 && onlyBatch == 0; }
    }

    private BatchSessions() {}

    /**
     * Closed means the stream must have emitted it: its session_window end (last event + gap) is at
     * or before the watermark implied by the newest event (max event_ts - watermark delay), an event's time
     * taken no later than its receipt, as the stream takes it ({@link SessionPieces#trustedTime}).
     */
    public static Dataset<Row> closedBatchSessions(Dataset<Row> events, Duration gap, Duration watermark) {
        Column trusted = Arrays.asList(events.columns()).contains(RECEIVED_TS)
                ? least(col(EVENT_TS), coalesce(col(RECEIVED_TS), col(EVENT_TS))) : col(EVENT_TS);
        Timestamp newest = events.agg(max(trusted)).first().getTimestamp(0);
        Dataset<Row> batch = Sessions.sessionize(events, gap, watermark);
        if (newest == null) return batch.limit(0);
        Timestamp cutoff = new Timestamp(newest.getTime() - watermark.toMillis() - gap.toMillis());
        return batch.where(col(SESSION_END).leq(lit(cutoff)));
    }

    public static Result compare(Dataset<Row> stream, Dataset<Row> batch) {
        List<String> cols = Sessions.COLUMNS;
        Dataset<Row> s = stream.selectExpr(cols.toArray(String[]::new));
        Dataset<Row> b = batch.selectExpr(cols.toArray(String[]::new));
        long matched = s.intersectAll(b).count();
        return new Result(matched, s.exceptAll(b).count(), b.exceptAll(s).count());
    }

    /** A table's rows as readers see them: each partition from its current folder (compaction moves partitions). */
    public static Dataset<Row> table(SparkSession spark, String warehouse, String table) throws IOException {
        Path root = new Path(warehouse);
        PartitionLocations locations = new PartitionLocations(root.getFileSystem(spark.sparkContext().hadoopConfiguration()), root);
        String[] folders = locations.currentFolders(table).stream().map(Path::toString).toArray(String[]::new);
        if (folders.length == 0) throw new IllegalStateException("no partitions in " + warehouse + "/" + table + " yet");
        return spark.read().parquet(folders);
    }
}
