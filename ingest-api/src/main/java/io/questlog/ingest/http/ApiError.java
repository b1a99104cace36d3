package io.questlog.ingest.http;

import io.questlog.ingest.event.InvalidEventException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON body of every error answer: {@code {"error": "...", "reason": "...", "index": i, "field": "..."}}.
 * {@code reason} is a stable code (the metrics label); {@code error} is for people.
 */
final class ApiError {
    private ApiError() {
    }

    static Map<String, Object> of(String reason, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("reason", reason);
        return body;
    }

    static Map<String, Object> of(InvalidEventException e) {
        Map<String, Object> body = of(e.reason(), e.getMessage());
        e.index().ifPresent(i -> body.put("index", i));
        e.field().ifPresent(f -> body.put("field", f));
        return body;
    }

    /** The same shape written by hand, for the places that have no JSON mapper (Jetty's own errors). */
    static String json(String reason, String message) {
        return "{\"error\":\"" + escape(message) + "\",\"reason\":\"" + escape(reason) + "\"}";
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }
}
