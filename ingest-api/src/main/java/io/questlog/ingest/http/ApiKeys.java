package io.questlog.ingest.http;

import io.javalin.http.Context;
import io.questlog.ingest.event.InvalidEventException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * Optional API keys for {@code POST /events} ({@code QUESTLOG_API_KEYS}): a key is read from
 * {@code X-API-Key} or {@code Authorization: Bearer}. Keys are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the comparison takes the same time whatever the presented key.
 */
final class ApiKeys {
    private final List<byte[]> digests;

    ApiKeys(List<String> keys) {
        this.digests = keys.stream().map(ApiKeys::sha256).toList();
    }

    boolean required() {
        return !digests.isEmpty();
    }

    /** Throws a 401 unless keys are off or the request carries one of them. */
    void check(Context ctx) {
        if (digests.isEmpty()) return;
        String presented = ctx.header("X-API-Key");
        if (presented == null) {
            String auth = ctx.header("Authorization");
            if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) presented = auth.substring(7).trim();
        }
        if (presented == null || presented.isBlank()) {
            throw new InvalidEventException(401, "missing_api_key",
                    "POST /events needs an API key: send it as 'X-API-Key: KEY' or 'Authorization: Bearer KEY'", null, null);
        }
        byte[] digest = sha256(presented.trim());
        boolean ok = false;
        for (byte[] d : digests) ok |= MessageDigest.isEqual(d, digest);
        if (!ok) throw new InvalidEventException(401, "invalid_api_key", "the API key is not valid", null, null);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
