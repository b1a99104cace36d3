package io.questlog.ingest.http;

import io.javalin.http.Context;
import io.questlog.ingest.event.InvalidEventException;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds what the API holds at once, so overload ends in 503 + Retry-After instead of an
 * out-of-memory: at most {@code maxRequests} ingest requests between arrival and answer, and at most
 * {@code maxBytes} of their bodies. A request's share is released when its answer was written.
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
    }

    /** Reserves room for a body of up to {@code n} bytes before it is read, or throws a 503. */
    void reserve(Context ctx, long n) {
        if (n <= 0) return;
        if (bytes.addAndGet(n) > maxBytes) {
            bytes.addAndGet(-n);
            throw overloaded("request bodies in flight would exceed " + maxBytes + " bytes");
        }
        Long before = ctx.attribute(BYTES);
        ctx.attribute(BYTES, (before == null ? 0L : before) + n);
    }

    /** Gives back what {@link #enter} and {@link #reserve} took for this request (once, when it is done). */
    void release(Context ctx) {
        Long n = ctx.attribute(BYTES);
        if (n != null) {
            bytes.addAndGet(-n);
            ctx.attribute(BYTES, null);
        }
        if (ctx.attribute(REQUEST) != null) {
            requests.decrementAndGet();
            ctx.attribute(REQUEST, null);
        }
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
