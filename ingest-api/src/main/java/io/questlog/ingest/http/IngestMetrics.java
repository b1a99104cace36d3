package io.questlog.ingest.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The ingest's Prometheus metrics (served at {@code GET /metrics}). */
public final class IngestMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Timer produce;
    /** The registry's own look-up sorts and compares tags on every call: a few % of a GET's CPU (JFR). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public IngestMetrics() {
        registry.gauge("questlog.ingest.in.flight.requests", inFlight);
        produce = Timer.builder("questlog.ingest.produce")
                .description("time from handing a request's events to Kafka until all were acknowledged (or failed)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    /** Gauges of what {@link Admission} holds: ingest requests and body bytes in flight. */
    void watch(Admission admission) {
        registry.gauge("questlog.ingest.admitted.requests", admission, Admission::requests);
        registry.gauge("questlog.ingest.admitted.bytes", admission, a -> (double) a.bytes());
    }

    void requestStarted() {
        inFlight.incrementAndGet();
    }

    void requestFinished(String route, String method, int status) {
        inFlight.decrementAndGet();
        countRequest(route, method, status);
    }

    /** A request Jetty refused before any handler saw it (unparseable HTTP, header flood): its route is unknown. */
    void refusedByJetty(int status) {
        countRequest("unparsed", "unknown", status);
    }

    private void countRequest(String route, String method, int status) {
        counters.computeIfAbsent(route + ' ' + method + ' ' + status, k -> Counter.builder("questlog.ingest.requests")
                .description("HTTP requests by route, method and status")
                .tags("route", route, "method", method, "status", Integer.toString(status))
                .register(registry)).increment();
    }

    void accepted(String eventType, int n) {
        counters.computeIfAbsent("accepted " + eventType, k -> Counter.builder("questlog.ingest.events.accepted")
                .description("events acknowledged by Kafka")
                .tag("endpoint", eventType)
                .register(registry)).increment(n);
    }

    void rejected(String reason, int n) {
        counters.computeIfAbsent("rejected " + reason, k -> Counter.builder("questlog.ingest.events.rejected")
                .description("events refused, by reason")
                .tag("reason", reason)
                .register(registry)).increment(n);
    }

    /** Secret-named headers or attributes dropped before Kafka ({@code where}: header, attribute). */
    public void secretsRemoved(String where, int n) {
        counters.computeIfAbsent("secrets " + where, k -> Counter.builder("questlog.ingest.secrets.removed")
                .description("credential-like headers, parameters and fields removed before Kafka")
                .tag("where", where)
                .register(registry)).increment(n);
    }

    void produced(long nanos) {
        produce.record(Duration.ofNanos(nanos));
    }

    public int inFlight() {
        return inFlight.get();
    }

    public String scrape() {
        return registry.scrape();
    }
}
