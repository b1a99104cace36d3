package io.questlog.ingest.http;

import io.questlog.ingest.event.Envelope;
import io.questlog.ingest.kafka.EventSink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** An in-memory sink: records what it was sent; can be told to fail, hang, or report unhealthy. */
final class RecordingSink implements EventSink {
    enum Mode { ACK, FAIL, HANG, HOLD }

    private final List<Envelope> received = new ArrayList<>();
    private volatile Mode mode = Mode.ACK;
    private volatile boolean healthy = true;
    private final List<CompletableFuture<Void>> held = new ArrayList<>();

    void mode(Mode m) {
        this.mode = m;
    }

    void healthy(boolean h) {
        this.healthy = h;
    }

    synchronized List<Envelope> received() {
        return List.copyOf(received);
    }

    /** Requests waiting for an acknowledgement in HOLD mode. */
    synchronized int held() {
        return held.size();
    }

    /** Acknowledges every held request. */
    void releaseHeld() {
        List<CompletableFuture<Void>> all;
        synchronized (this) {
            all = List.copyOf(held);
            held.clear();
        }
        all.forEach(f -> CompletableFuture.runAsync(() -> f.complete(null)));
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
            case HOLD -> {
                CompletableFuture<Void> f = new CompletableFuture<>();
                synchronized (this) {
                    held.add(f);
                }
                yield f;
            }
        };
    }

    @Override
    public boolean healthy() {
        return healthy;
    }
}
