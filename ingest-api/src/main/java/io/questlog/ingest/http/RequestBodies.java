package io.questlog.ingest.http;

import io.javalin.http.Context;
import io.questlog.ingest.event.InvalidEventException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/** Reads a request body without ever holding more than the configured limit in memory. */
final class RequestBodies {
    /** Beyond the limit we still read and discard this many times the limit, so the client sees our 413. */
    private static final int DRAIN_FACTOR = 8;

    private RequestBodies() {
    }

    static byte[] readBounded(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limit) {
            drain(ctx, declared <= limit * DRAIN_FACTOR ? declared : 0);
            throw tooLarge(limit);
        }
        if (declared == 0) return new byte[0];
        try {
            InputStream in = ctx.req().getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 8192);
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) != -1) {
                total += n;
                if (total > limit) {
                    drain(ctx, limit * DRAIN_FACTOR);
                    throw tooLarge(limit);
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new InvalidEventException(400, "truncated_body",
                    "could not read the whole body: " + e.getMessage(), null, null);
        }
    }

    private static void drain(Context ctx, long max) {
        if (max <= 0) {
            ctx.header("Connection", "close");
            return;
        }
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while (total < max && (n = in.read(buf)) != -1) total += n;
            if (total >= max) ctx.header("Connection", "close");
        } catch (IOException e) {
            ctx.header("Connection", "close");
        }
    }

    private static InvalidEventException tooLarge(long limit) {
        return new InvalidEventException(413, "body_too_large",
                "request body is larger than " + limit + " bytes: send fewer events per request", null, null);
    }

    /** The media type without parameters, lower-cased; "" when absent. */
    static String mediaType(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct == null) return "";
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
