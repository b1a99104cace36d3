package io.questlog.ingest.http;

import io.javalin.http.Context;
import io.questlog.ingest.event.InvalidEventException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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

    /** How many body bytes this request may bring: its Content-Length (at most {@code limit}), {@code limit} when chunked, else 0. */
    static long bound(Context ctx, long limit) {
        long declared = ctx.req().getContentLengthLong();
        if (declared >= 0) return Math.min(declared, limit);
        return ctx.header("Transfer-Encoding") != null ? limit : 0;
    }

    /** Bodies are read as they are sent: a compressed body (Content-Encoding other than identity) is 415. */
    static void requireIdentityEncoding(Context ctx) {
        String enc = ctx.header("Content-Encoding");
        if (enc != null && !enc.isBlank() && !enc.trim().equalsIgnoreCase("identity")) {
            throw new InvalidEventException(415, "unsupported_content_encoding",
                    "Content-Encoding " + enc.trim() + " is not supported: send the body uncompressed", null, null);
        }
    }

    /** Strict UTF-8 decoding: invalid bytes are a 400, not silently replaced. */
    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw InvalidEventException.badRequest("invalid_utf8", what + " is not valid UTF-8");
        }
    }

    /** A query string or form body whose %XX escapes must decode to valid UTF-8. */
    static void requireUtf8Form(String form, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(form.length());
        int plain = 0; // start of the run of characters since the last escape
        for (int i = 0; i < form.length(); i++) {
            if (form.charAt(i) != '%') continue;
            bytes.writeBytes(form.substring(plain, i).getBytes(StandardCharsets.UTF_8));
            if (i + 2 >= form.length() || !isHex(form.charAt(i + 1)) || !isHex(form.charAt(i + 2))) {
                throw InvalidEventException.badRequest("invalid_utf8", what + " has a broken %-escape at character " + i);
            }
            bytes.write(Integer.parseInt(form, i + 1, i + 3, 16));
            i += 2;
            plain = i + 1;
        }
        bytes.writeBytes(form.substring(plain).getBytes(StandardCharsets.UTF_8));
        utf8(bytes.toByteArray(), what);
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** The media type without parameters, lower-cased; "" when absent. */
    static String mediaType(Context ctx) {
        String ct = ctx.header("Content-Type");
        if (ct == null) return "";
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
