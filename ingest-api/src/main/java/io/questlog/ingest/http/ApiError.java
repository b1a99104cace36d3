package io.questlog.ingest.http;

import io.questlog.ingest.event.InvalidEventException;

import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON body of every error answer: {@code {"error": "...", "index": i, "field": "..."}}. */
final class ApiError {
    private ApiError() {
    }

    static Map<String, Object> of(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        return body;
    }

    static Map<String, Object> of(InvalidEventException e) {
        Map<String, Object> body = of(e.getMessage());
        e.index().ifPresent(i -> body.put("index", i));
        e.field().ifPresent(f -> body.put("field", f));
        return body;
    }
}
