package io.questlog.ingest.http;

import io.questlog.ingest.event.Envelope;
import io.questlog.ingest.kafka.EventSink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An in-memory sink: records what it was sent; can be told to fail, hang, or report unhealthy. */
final class RecordingSink implements EventSink {
    enum Mode { ACK, FAIL, HANG }

    private final List<Envelope> received = new ArrayList<>();
    private volatile Mode mode = Mode.ACK;
    private volatile boolean healthy = true;

    void mode(Mode m) {
        this.mode = m;
    }

    void healthy(boolean h) {
        this.healthy = h;
    }

    synchronized List<Envelope> received() {
        return List.copyOf(received);
    }

    synchronized void clear() {
        received.clear();
    }

    @Override
    public CompletableFuture<Void> send(List<Envelope> envelopes) {
        return switch (mode) {
            case ACK -> {
                synchronized (this) {
                    received.addAll(envelopes);
                }
                // acknowledge from another thread, as Kafka's I/O thread does
                yield CompletableFuture.runAsync(() -> { });
            }
            case FAIL -> CompletableFuture.failedFuture(new IllegalStateException("broker unreachable (test)"));
            case HANG -> new CompletableFuture<>();
        };
    }

    @Override
    public boolean healthy() {
        return healthy;
    }
}
