package io.questlog.stream.publish;

import io.questlog.stream.sessions.Sessions;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The "sessions" query's batch function: closed sessions (see {@link Sessions#sessionize}) into {@code sessions}. */
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
            if (n > 0) publisher.publish(SESSIONS, batchId, batch);
            Progress.log(Progress.line(SESSIONS, batchId, n, Map.of(SESSIONS, n), 0,
                    System.currentTimeMillis() - start));
            return n;
        } finally {
            batch.unpersist();
        }
    }
}
