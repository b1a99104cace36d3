package io.questlog.ingest.http;

import io.javalin.http.Context;
import io.questlog.ingest.event.InvalidEventException;

import java.util.List;
import java.util.Set;

/**
 * CORS for browser games ({@code QUESTLOG_CORS_ORIGINS}): the listed origins (or {@code *}) may call
 * the API from a page; answers carry {@code Access-Control-Allow-Origin}, and preflight
 * {@code OPTIONS} requests are answered 204. No credentials (cookies) are ever allowed.
 */
final class Cors {
    private static final String DEFAULT_HEADERS = "Content-Type, X-API-Key, Authorization, X-User-Id";
    private final Set<String> origins;
    private final boolean any;

    Cors(List<String> origins) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins);
    }

    boolean enabled() {
        return any || !origins.isEmpty();
    }

    private boolean allows(String origin) {
        return any || origins.contains(origin);
    }

    /** On every answer (errors included): allow an allowed origin to read it. */
    void apply(Context ctx) {
        if (!enabled()) return;
        String origin = ctx.header("Origin");
        if (origin == null) return;
        if (!any) ctx.header("Vary", "Origin");
        if (!allows(origin)) return;
        ctx.header("Access-Control-Allow-Origin", any ? "*" : origin);
        ctx.header("Access-Control-Expose-Headers", "Retry-After");
    }

    /** {@code OPTIONS} on a route: 204 with what the browser may send, or 403 for an origin not listed. */
    void preflight(Context ctx, String methods) {
        String origin = ctx.header("Origin");
        if (origin == null || !allows(origin)) {
            throw new InvalidEventException(403, "cors_origin_not_allowed", "origin " + (origin == null ? "(none)" : origin)
                    + " may not call this API (allowed: QUESTLOG_CORS_ORIGINS)", null, null);
        }
        String asked = ctx.header("Access-Control-Request-Headers");
        ctx.header("Access-Control-Allow-Methods", methods);
        ctx.header("Access-Control-Allow-Headers", asked == null || asked.isBlank() ? DEFAULT_HEADERS : asked);
        ctx.header("Access-Control-Max-Age", "600");
        ctx.status(204);
    }
}
