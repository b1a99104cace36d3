package io.questlog.stream.publish;

import io.questlog.stream.sessions.Sessions;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The per-sink baseline's sessions query (Spark's own streaming {@code session_window}, see
 * {@link Sessions#sessionize}): closed sessions into {@code sessions}. The job itself sessionizes in
 * {@link EventTablesWriter}.
 */
public final class SessionsWriter {
    public static final String SESSIONS = "sessions";

    private final ParquetPublisher publisher;

    public SessionsWriter(ParquetPublisher publisher) {
        this.publisher = publisher;
    }

    /** Returns the number of sessions written. */
    public long publish(long batchId, Dataset<Row> sessions) {
        long start = System.currentTimeMillis();
        Dataset<Row> batch = sessions.persist();
        try {
            long n = batch.count();
            if (n > 0) publisher.publish(SESSIONS, batchId, batch, "ps");
            Progress.log(Progress.line("per-sink-sessions", batchId, n, Map.of(SESSIONS, n), 0, 0, 0, "-",
                    System.currentTimeMillis() - start));
            return n;
        } finally {
            batch.unpersist();
        }
    }
}
