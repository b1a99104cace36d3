package io.questlog.ingest.kafka;

import io.questlog.ingest.event.Envelope;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Where accepted envelopes go. The HTTP layer answers 200 only when {@link #send} completed normally. */
public interface EventSink extends AutoCloseable {

    /** Completes when every envelope was acknowledged, exceptionally as soon as one was not. */
    CompletableFuture<Void> send(List<Envelope> envelopes);

    /** True when the sink can reach its destination now (may take up to a few seconds; callers may cache). */
    boolean healthy();

    @Override
    default void close() {
    }
}
