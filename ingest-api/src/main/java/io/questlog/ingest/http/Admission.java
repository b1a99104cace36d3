package io.questlog.ingest.http;

import io.javalin.http.Context;
import io.questlog.ingest.event.InvalidEventException;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what the API holds at once, so overload ends in 503 + Retry-After instead of an
 * out-of-memory: at most {@code maxRequests} ingest requests between arrival and answer, and at most
 * {@code maxBytes} of their bodies (counted as the bytes arrive). A request's share is released when its
 * answer was written.
 */
final class Admission {
    private static final String REQUEST = "questlog.admitted";
    private static final String BYTES = "questlog.reserved-bytes";

    private final int maxRequests;
    private final long maxBytes;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();

    Admission(int maxRequests, long maxBytes) {
        this.maxRequests = maxRequests;
        this.maxBytes = maxBytes;
    }

    /** Counts the request in, or throws a 503 when {@code maxRequests} are already being handled. */
    void enter(Context ctx) {
        if (requests.incrementAndGet() > maxRequests) {
            requests.decrementAndGet();
            throw overloaded(maxRequests + " requests are already in flight");
        }
        ctx.attribute(REQUEST, Boolean.TRUE);
        ctx.attribute(BYTES, new Held());
    }

    /**
     * Reserves {@code n} more bytes of this request's body as they arrive, or throws a 503. Called from the
     * body's read callbacks, which may race with the answer (a body timeout): bytes reserved after
     * {@link #release} are not held, so nothing leaks.
     */
    void reserve(Context ctx, long n) {
        if (n <= 0) return;
        Held held = ctx.attribute(BYTES);
        if (held == null) {
            held = new Held();
            ctx.attribute(BYTES, held);
        }
        synchronized (held) {
            if (held.released) return;
            if (bytes.addAndGet(n) > maxBytes) {
                bytes.addAndGet(-n);
                throw overloaded("request bodies in flight would exceed " + maxBytes + " bytes");
            }
            held.bytes += n;
        }
    }

    /** Gives back what {@link #enter} and {@link #reserve} took for this request (once, when it is done). */
    void release(Context ctx) {
        Held held = ctx.attribute(BYTES);
        if (held != null) {
            synchronized (held) {
                bytes.addAndGet(-held.bytes);
                held.bytes = 0;
                held.released = true;
            }
        }
        if (ctx.attribute(REQUEST) != null) {
            requests.decrementAndGet();
            ctx.attribute(REQUEST, null);
        }
    }

    /** One request's share of the byte budget. */
    private static final class Held {
        long bytes;
        boolean released;
    }

    int requests() {
        return requests.get();
    }

    long bytes() {
        return bytes.get();
    }

    private static InvalidEventException overloaded(String why) {
        return new InvalidEventException(503, "overloaded", "the ingest API is at capacity (" + why + "): retry later", null, null);
    }
}
