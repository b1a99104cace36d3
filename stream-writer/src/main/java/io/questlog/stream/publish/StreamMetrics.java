package io.questlog.stream.publish;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import org.apache.spark.SparkEnv;
import org.apache.spark.metrics.source.Source;

/**
 * The stream-writer's counters in Spark's own metrics system (source {@code questlog}), so whatever sink a
 * cluster configures (JMX, Prometheus servlet, CSV, Graphite: {@code spark.metrics.conf.*}) reports them
 * beside Spark's. Counted once per committed batch (a retried batch counts when it succeeds).
 */
public final class StreamMetrics implements Source {
    public static final StreamMetrics INSTANCE = new StreamMetrics();

    private final MetricRegistry registry = new MetricRegistry();
    final Counter events = registry.counter("events_written_total");
    final Counter duplicates = registry.counter("duplicates_dropped_total");
    final Counter bad = registry.counter("bad_rows_total");
    final Counter late = registry.counter("late_rows_total");
    final Counter sessions = registry.counter("sessions_closed_total");
    final Counter batches = registry.counter("batches_total");
    final Counter restarts = registry.counter("query_restarts_total");

    private StreamMetrics() {
    }

    /** Adds the source to this JVM's Spark metrics system (the driver's); call once, after the session exists. */
    public static void register() {
        if (SparkEnv.get() != null) SparkEnv.get().metricsSystem().registerSource(INSTANCE);
    }

    @Override
    public String sourceName() {
        return "questlog";
    }

    @Override
    public MetricRegistry metricRegistry() {
        return registry;
    }

    void batch(long events, long duplicates, long bad, long late, long sessions) {
        this.events.inc(events);
        this.duplicates.inc(duplicates);
        this.bad.inc(bad);
        this.late.inc(late);
        this.sessions.inc(sessions);
        batches.inc();
    }

    public void restarted() {
        restarts.inc();
    }
}
