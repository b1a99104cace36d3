package io.questlog.ingest.http;

import io.javalin.http.Context;
import io.questlog.ingest.event.InvalidEventException;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a request body without a thread waiting on the client (a servlet {@link ReadListener}): a client
 * that trickles its body holds a connection, never one of Jetty's threads. Never holds more than the body
 * limit; the bytes are reserved in {@link Admission} as they arrive, not by the declared Content-Length,
 * so clients that declare large bodies and send little cannot use up the in-flight budget. A body not
 * complete within the body timeout is answered 408; one arriving slower than the minimum data rate (after a
 * second's grace, checked as its bytes arrive) is answered 408 earlier. Must be called once async processing
 * has started (inside {@code ctx.future}).
 */
final class AsyncBody implements ReadListener {
    /** Beyond the limit we still read and discard this many times the limit, so the client sees our 413. */
    private static final int DRAIN_FACTOR = 8;

    private final Context ctx;
    private final ServletInputStream in;
    private final long limit;
    private final Admission admission;
    private final long minBytesPerSecond;
    private final long startNanos = System.nanoTime();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final byte[] buf = new byte[8192];
    private ByteArrayOutputStream out;
    private long total;
    /** Over the limit: reading on only to discard, up to this many bytes in all; -1 while within it. */
    private long drainUpTo = -1;

    /** A body gets this long before its rate counts: a request's first packets may carry only its headers. */
    static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private AsyncBody(Context ctx, ServletInputStream in, long limit, long declared, Admission admission,
                      long minBytesPerSecond) {
        this.ctx = ctx;
        this.minBytesPerSecond = minBytesPerSecond;
        this.in = in;
        this.limit = limit;
        this.admission = admission;
        // grown as bytes arrive: a declared length is only a claim
        this.out = new ByteArrayOutputStream((int) Math.min(declared > 0 ? declared : 8192, 64 << 10));
    }

    /** The whole body (at most {@code limit} bytes), or an {@link InvalidEventException} (400, 408, 413, 503). */
    static CompletableFuture<byte[]> read(Context ctx, long limit, Admission admission, Duration timeout,
                                          long minBytesPerSecond) {
        long declared = ctx.req().getContentLengthLong();
        if (declared == 0) return CompletableFuture.completedFuture(new byte[0]);
        if (declared > limit * DRAIN_FACTOR) {
            ctx.header("Connection", "close");
            return CompletableFuture.failedFuture(tooLarge(limit));
        }
        AsyncBody body;
        try {
            body = new AsyncBody(ctx, ctx.req().getInputStream(), limit, declared, admission, minBytesPerSecond);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(truncated(e));
        }
        if (declared > limit) body.drainUpTo = declared;
        body.in.setReadListener(body);
        return body.result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((bytes, err) -> {
            if (err == null) return bytes;
            Throwable t = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (t instanceof TimeoutException) {
                ctx.header("Connection", "close");
                throw new InvalidEventException(408, "body_timeout", "the request body did not arrive within "
                        + timeout.toSeconds() + " seconds: send it at once", null, null);
            }
            throw t instanceof RuntimeException r ? r : new CompletionException(t);
        });
    }

    @Override
    public void onDataAvailable() {
        try {
            while (!result.isDone() && in.isReady()) {
                int n = in.read(buf);
                if (n < 0) return; // onAllDataRead follows
                total += n;
                if (drainUpTo < 0 && total > limit) {
                    out = null; // what was read is of no use now
                    drainUpTo = limit * DRAIN_FACTOR;
                }
                if (drainUpTo >= 0) {
                    if (total >= drainUpTo) fail(tooLarge(limit), true);
                    continue;
                }
                admission.reserve(ctx, n);
                out.write(buf, 0, n);
                if (tooSlow()) {
                    fail(new InvalidEventException(408, "body_too_slow", "the request body arrives slower than "
                            + minBytesPerSecond + " bytes/s: send it at once", null, null), true);
                }
            }
        } catch (InvalidEventException e) {
            fail(e, true); // overloaded
        } catch (Throwable t) {
            onError(t);
        }
    }

    /** Fewer bytes than the minimum rate asks for the time since the headers, beyond the grace. */
    private boolean tooSlow() {
        long late = System.nanoTime() - startNanos - GRACE_NANOS;
        return late > 0 && total < minBytesPerSecond * late / 1_000_000_000L;
    }

    @Override
    public void onAllDataRead() {
        if (drainUpTo >= 0) fail(tooLarge(limit), false);
        else result.complete(out.toByteArray());
    }

    @Override
    public void onError(Throwable t) {
        if (t instanceof TimeoutException || t.getCause() instanceof TimeoutException) {
            fail(new InvalidEventException(408, "body_timeout", "the request body stopped arriving (idle timeout)", null, null), true);
        } else {
            fail(truncated(t), true);
        }
    }

    private void fail(InvalidEventException e, boolean close) {
        if (result.isDone()) return;
        // the rest of the body is not read: the connection cannot carry another request
        if (close) ctx.header("Connection", "close");
        result.completeExceptionally(e);
    }

    private static InvalidEventException truncated(Throwable t) {
        return new InvalidEventException(400, "truncated_body", "could not read the whole body: " + t.getMessage(), null, null);
    }

    static InvalidEventException tooLarge(long limit) {
        return new InvalidEventException(413, "body_too_large",
                "request body is larger than " + limit + " bytes: send fewer events per request", null, null);
    }
}
