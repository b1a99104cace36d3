package io.questlog.stream.publish;

import java.time.Instant;
import java.util.Map;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * After each batch, one line with the Kafka lag (records the slowest partition has not read yet, the
 * Kafka source's maxOffsetsBehindLatest) and the rates; also appended to the progress file's last
 * batch line, so {@code ./questlog status} shows both. While there is nothing to read, an idle line
 * ({@link Progress#idle}) keeps the progress file fresh.
 */
public final class KafkaLag extends StreamingQueryListener {
    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
    }

    /** Spark posts this while a query finds no new data (every spark.sql.streaming.noDataProgressEventInterval). */
    @Override
    public void onQueryIdle(QueryIdleEvent event) {
        Progress.idle();
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress p = event.progress();
        long lag = 0;
        boolean known = false;
        for (SourceProgress s : p.sources()) {
            Long l = lag(s.metrics());
            if (l != null) {
                lag = Math.max(lag, l);
                known = true;
            }
        }
        String line = "kafka_lag=" + (known ? lag : "unknown")
                + String.format(" input_rows_per_s=%.0f processed_rows_per_s=%.0f", p.inputRowsPerSecond(), p.processedRowsPerSecond());
        System.out.println(Instant.now() + " [questlog] query=" + p.name() + " batch=" + p.batchId() + " " + line);
        Progress.appendToLast(p.name(), p.batchId(), line); // two queries: their batch numbers meet
    }

    /** The worst partition's records behind the latest offset (the source's maxOffsetsBehindLatest), if reported. */
    static Long lag(Map<String, String> metrics) {
        String max = metrics == null ? null : metrics.get("maxOffsetsBehindLatest");
        try {
            return max == null ? null : Math.round(Double.parseDouble(max));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
