package io.questlog.ingest.http;

import io.javalin.http.Context;
import io.questlog.ingest.event.InvalidEventException;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Checks and decodes request bodies and query strings (the reading itself is {@link AsyncBody}'s). */
final class RequestBodies {
    private RequestBodies() {
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
