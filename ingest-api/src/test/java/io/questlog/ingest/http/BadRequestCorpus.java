package io.questlog.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.questlog.ingest.event.Json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests the ingest API must refuse, each with the status, reason code, message part, and (for
 * batches) the index and field its JSON error must name. Used by {@link BadRequestsTest} against an
 * in-memory sink and by {@code KafkaIngestIT} against a real broker: none may produce anything.
 * The server under test runs with {@link #ENV} (API keys and CORS on).
 */
public final class BadRequestCorpus {
    public static final String KEY = "corpus-key-0123456789abcdef";
    public static final Map<String, String> ENV = Map.of(
            "QUESTLOG_API_KEYS", "other-key-0123456789abcdef," + KEY,
            "QUESTLOG_CORS_ORIGINS", "https://game.example");
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    static final String OK = "{\"event_type\":\"ok\",\"user_id\":\"u\"}";

    /** One bad request and what its answer must say. */
    public record Case(String name, byte[] request, boolean halfClose, int status, String reason, String message,
                       Integer index, String field) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Builds the bytes of one request: Host, the API key (for /events), Content-Length and Connection: close by default. */
    static final class Req {
        final String method;
        final String path;
        final Map<String, String> headers = new LinkedHashMap<>();
        final List<String> extraLines = new ArrayList<>();
        byte[] body = new byte[0];
        boolean key = true;
        boolean chunked;
        long declaredLength = -1;
        boolean halfClose;
        String requestLine;

        Req(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Req header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        Req line(String rawHeaderLine) {
            extraLines.add(rawHeaderLine);
            return this;
        }

        Req body(String contentType, byte[] b) {
            if (contentType != null) headers.put("Content-Type", contentType);
            body = b;
            return this;
        }

        Req body(String contentType, String b) {
            return body(contentType, b.getBytes(StandardCharsets.UTF_8));
        }

        Req noKey() {
            key = false;
            return this;
        }

        Req chunked() {
            chunked = true;
            return this;
        }

        Req declaredLength(long n) {
            declaredLength = n;
            halfClose = true;
            return this;
        }

        Req requestLine(String line) {
            requestLine = line;
            return this;
        }

        byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(requestLine != null ? requestLine : method + " " + path + " HTTP/1.1").append("\r\n");
            head.append("Host: 127.0.0.1\r\nUser-Agent: corpus/1\r\nConnection: close\r\n");
            if (key && path.startsWith("/events")) head.append("X-API-Key: ").append(KEY).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            extraLines.forEach(l -> head.append(l).append("\r\n"));
            if (chunked) head.append("Transfer-Encoding: chunked\r\n");
            else if (declaredLength >= 0) head.append("Content-Length: ").append(declaredLength).append("\r\n");
            else if (body.length > 0 || method.equals("POST") || method.equals("PUT")) head.append("Content-Length: ").append(body.length).append("\r\n");
            head.append("\r\n");
            out.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (chunked) {
                for (int off = 0; off < body.length; off += 65536) {
                    int n = Math.min(65536, body.length - off);
                    out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(body, off, n);
                    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                out.writeBytes(body);
            }
            return out.toByteArray();
        }
    }

    static Req post(String path, String contentType, String body) {
        return new Req("POST", path).body(contentType, body);
    }

    static Req post(String path, String contentType, byte[] body) {
        return new Req("POST", path).body(contentType, body);
    }

    static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            else if (p instanceof int[] raw) for (int b : raw) out.write(b);
            else throw new IllegalArgumentException(String.valueOf(p));
        }
        return out.toByteArray();
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static void add(String name, Req req, int status, String reason, String message, Integer index, String field) {
        CASES.add(new Case(name, req.bytes(), req.halfClose, status, reason, message, index, field));
    }

    private static void add(String name, Req req, int status, String reason, String message) {
        add(name, req, status, reason, message, null, null);
    }

    public static synchronized List<Case> cases() {
        if (!CASES.isEmpty()) return List.copyOf(CASES);
        long future = System.currentTimeMillis() + 2 * 3_600_000L;
        String ev = "/events";

        // ---- malformed and truncated JSON
        add("malformed JSON", post(ev, JSON, "{\"event_type\": \"a\", user_id}"), 400, "malformed_json", "malformed JSON at line 1, column");
        add("truncated object", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\""), 400, "malformed_json", "end-of-input");
        add("truncated array names the event", post(ev, JSON, "[" + OK + ",{\"event_type\":"), 400, "malformed_json", "malformed JSON", 1, null);
        add("multi-line malformed names the line", post(ev, JSON, "[\n" + OK + ",\n{\"event_type\" \"x\"}]"), 400, "malformed_json", "line 3", 1, null);
        add("trailing garbage", post(ev, JSON, OK + " xyz"), 400, "malformed_json", "malformed JSON");
        add("duplicate key", post(ev, JSON, "{\"event_type\":\"a\",\"event_type\":\"b\",\"user_id\":\"u\"}"), 400, "malformed_json", "Duplicate field");
        add("NaN literal", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"score\":NaN}"), 400, "malformed_json", "malformed JSON");
        add("single quotes", post(ev, JSON, "{'event_type':'a','user_id':'u'}"), 400, "malformed_json", "malformed JSON");
        add("comment", post(ev, JSON, "{\"event_type\":\"a\",/* hi */\"user_id\":\"u\"}"), 400, "malformed_json", "malformed JSON");
        add("raw control character in a string", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\u0001\tx\"}"), 400, "malformed_json", "CTRL-CHAR");
        add("truncated body: fewer bytes than Content-Length", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\"").declaredLength(400),
                400, "truncated_body", "could not read the whole body");

        // ---- wrong types and invalid fields
        add("event_type a number", post(ev, JSON, "{\"event_type\":5,\"user_id\":\"u\"}"), 400, "invalid_field", "must be a string", 0, "event_type");
        add("event_type bad pattern", post(ev, JSON, "{\"event_type\":\"Level-Up\",\"user_id\":\"u\"}"), 400, "invalid_field", "must match", 0, "event_type");
        add("event_type 65 characters", post(ev, JSON, "{\"event_type\":\"" + "a".repeat(65) + "\",\"user_id\":\"u\"}"), 400, "invalid_field", "must match", 0, "event_type");
        add("event_type missing", post(ev, JSON, "{\"user_id\":\"u\"}"), 400, "invalid_field", "event_type is required", 0, "event_type");
        add("user missing", post(ev, JSON, "{\"event_type\":\"a\"}"), 400, "invalid_field", "user_id or anonymous_id is required", 0, "user_id");
        add("user_id an array", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":[1]}"), 400, "invalid_field", "must be a string", 0, "user_id");
        add("user_id of 300 characters", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"" + "u".repeat(300) + "\"}"), 400, "invalid_field", "longer than 256", 0, "user_id");
        add("game user_id query parameter of 300 characters", new Req("GET", "/purchase_a_sword?user_id=" + "u".repeat(300)),
                400, "invalid_field", "longer than 256", null, "user_id");
        add("game X-User-Id of 300 characters", new Req("GET", "/join_a_guild").header("X-User-Id", "u".repeat(300)),
                400, "invalid_field", "longer than 256", null, "X-User-Id");
        StringBuilder attrs = new StringBuilder("{\"event_type\":\"a\",\"user_id\":\"u\"");
        for (int i = 0; i <= 100; i++) attrs.append(",\"a").append(i).append("\":").append(i);
        add("101 attributes", post(ev, JSON, attrs.append("}").toString()), 400, "too_many_attributes", "more than 100 attributes", 0, null);
        StringBuilder query = new StringBuilder("/purchase_a_sword?p0=0");
        for (int i = 1; i <= 100; i++) query.append("&p").append(i).append('=').append(i);
        add("101 game query parameters", new Req("GET", query.toString()), 400, "too_many_attributes", "more than 100 attributes");
        add("attribute name of 129 characters", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"" + "n".repeat(129) + "\":1}"),
                400, "invalid_field", "more than 128", 0, "n".repeat(32) + "...");
        add("anonymous_id a boolean", post(ev, JSON, "{\"event_type\":\"a\",\"anonymous_id\":true}"), 400, "invalid_field", "must be a string", 0, "anonymous_id");
        add("timestamp a string", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":\"yesterday\"}"),
                400, "invalid_field", "epoch milliseconds", 0, "device_sent_timestamp");
        add("timestamp fractional", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":1.7e12}"),
                400, "invalid_field", "epoch milliseconds", 0, "device_sent_timestamp");
        add("timestamp beyond a long", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":99999999999999999999}"),
                400, "invalid_field", "epoch milliseconds", 0, "device_sent_timestamp");
        add("timestamp negative", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":-5}"),
                400, "invalid_field", "negative", 0, "device_sent_timestamp");
        add("timestamp in seconds", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":1700000000}"),
                400, "invalid_field", "looks like seconds", 0, "device_sent_timestamp");
        add("timestamp in the future", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":" + future + "}"),
                400, "invalid_field", "in the future", 0, "device_sent_timestamp");
        add("sent_at in seconds", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"sent_at\":1700000000}"),
                400, "invalid_field", "sent_at must be an integer", 0, "sent_at");
        add("sent_at a string", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"sent_at\":\"now\"}"),
                400, "invalid_field", "sent_at must be an integer", 0, "sent_at");
        add("X-Sent-At not a number", post(ev, JSON, OK).header("X-Sent-At", "Tue, 1 Dec 2026 10:00:00 GMT"),
                400, "invalid_field", "X-Sent-At must be an integer", null, "X-Sent-At");
        add("corrected timestamp still in the future", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + (future + 2 * 3_600_000L) + ",\"sent_at\":" + future + "}"), 400, "invalid_field", "after the sent_at correction", 0, "device_sent_timestamp");
        add("event_id not uuid-like", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"event_id\":\"<script>\"}"), 400, "invalid_field", "event_id", 0, "event_id");
        add("event_id of 129 characters", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"event_id\":\"" + "e".repeat(129) + "\"}"),
                400, "invalid_field", "at most 128", 0, "event_id");
        add("game event_id not uuid-like", new Req("GET", "/purchase_a_sword?event_id=%3Cscript%3E"), 400, "invalid_field", "event_id", null, "event_id");
        add("game Idempotency-Key of 129 characters", new Req("GET", "/join_a_guild").header("Idempotency-Key", "k".repeat(129)),
                400, "invalid_field", "at most 128", null, "Idempotency-Key");
        add("browser_family empty", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"browser_family\":\"\"}"), 400, "invalid_field", "non-empty", 0, "browser_family");
        add("last event of a batch bad: nothing accepted", post(ev, JSON, "[" + OK + "," + OK + ",{\"event_type\":\"a\",\"user_id\":{}}]"),
                400, "invalid_field", "user_id", 2, "user_id");

        // ---- invalid UTF-8 and broken Unicode
        add("invalid UTF-8 continuation in a string", post(ev, JSON, bytes("{\"event_type\":\"a\",\"user_id\":\"", new int[]{0xC3, 0x28}, "\"}")),
                400, "invalid_utf8", "not valid UTF-8 (byte 0xC3 at offset 29, line 1)");
        add("invalid UTF-8 start byte 0xFF on an NDJSON line", post(ev, NDJSON, bytes(OK + "\n{\"event_type\":\"a\",\"user_id\":\"", new int[]{0xFF}, "\"}\n")),
                400, "invalid_utf8", "line 2", 1, null);
        add("overlong UTF-8 encoding", post(ev, JSON, bytes("{\"event_type\":\"a\",\"user_id\":\"", new int[]{0xC0, 0xAF}, "\"}")),
                400, "invalid_utf8", "not valid UTF-8");
        add("UTF-8-encoded surrogate half", post(ev, NDJSON, bytes("{\"event_type\":\"a\",\"user_id\":\"", new int[]{0xED, 0xA0, 0x80}, "\"}")),
                400, "invalid_utf8", "line 1", 0, null);
        add("unpaired surrogate escape in an attribute", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"name\":\"x\\ud800y\"}"),
                400, "invalid_utf8", "unpaired", 0, "name");
        add("invalid UTF-8 in a game query parameter", new Req("GET", "/purchase_a_sword?sword_type=%FF%FE"), 400, "invalid_utf8", "query string");
        add("broken %-escape in a game query", new Req("GET", "/purchase_a_sword?sword_type=%G1"), 400, "invalid_utf8", "broken %-escape");
        add("invalid UTF-8 in a game form body", post("/join_a_guild", "application/x-www-form-urlencoded", "guild_name=%C3%28"),
                400, "invalid_utf8", "form body");

        // ---- deep nesting
        add("attribute nested 40 levels deep", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"deep\":" + "[".repeat(40) + "]".repeat(40) + "}"),
                400, "too_deep", "nesting depth");
        add("nesting bomb of 100000 open objects", post(ev, JSON, "{\"a\":".repeat(100_000)), 400, "too_deep", "nesting depth");
        add("deep NDJSON line names its index", post(ev, NDJSON, OK + "\n" + "{\"a\":".repeat(50) + "1" + "}".repeat(50) + "\n"),
                400, "too_deep", "line 2", 1, null);

        // ---- empty bodies and wrong shapes
        add("empty body", post(ev, JSON, ""), 400, "empty_body", "empty body");
        add("whitespace body", post(ev, NDJSON, " \n\n "), 400, "empty_body", "empty body");
        add("empty array", post(ev, JSON, "[]"), 400, "empty_body", "no events");
        add("top-level string", post(ev, JSON, "\"purchase\""), 400, "not_an_object", "expected a JSON object");
        add("top-level null", post(ev, JSON, "null"), 400, "not_an_object", "expected a JSON object");
        add("array holding a number", post(ev, JSON, "[" + OK + ", 42]"), 400, "not_an_object", "expected a JSON object", 1, null);
        add("game endpoint JSON body an array", post("/join_a_guild", JSON, "[1,2]"), 400, "not_an_object", "must be a JSON object");
        add("game endpoint with malformed JSON body", post("/purchase_a_sword", JSON, "{\"sword_type\":"), 400, "malformed_json", "malformed JSON");

        // ---- NDJSON with one bad line
        add("ndjson bad line names its index", post(ev, NDJSON, OK + "\n" + OK + "\n\n{\"event_type\":\n" + OK), 400, "malformed_json", "line 4", 2, null);
        add("ndjson invalid event names its index", post(ev, NDJSON, OK + "\n{\"event_type\":\"UP\",\"user_id\":\"u\"}"), 400, "invalid_field", "must match", 1, "event_type");
        add("ndjson line that is an array", post(ev, NDJSON, OK + "\n[" + OK + "]\n" + OK), 400, "not_an_object", "line 2", 1, null);
        add("ndjson last line truncated", post(ev, NDJSON, OK + "\n" + OK + "\n{\"event_type\":\"a\",\"user_id\""), 400, "malformed_json", "line 3", 2, null);

        // ---- huge fields, too many events, too large bodies
        add("huge field", post(ev, JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"blob\":\"" + "x".repeat(40_000) + "\"}"),
                413, "event_too_large", "more than the limit of 32768", 0, null);
        add("ndjson line over 32 KiB names its index", post(ev, NDJSON, OK + "\n{\"event_type\":\"a\",\"user_id\":\"u\",\"blob\":\"" + "x".repeat(40_000) + "\"}\n"),
                413, "event_too_large", "event 1 has", 1, null);
        add("game endpoint body over 32 KiB", post("/purchase_a_sword", JSON, "{\"blob\":\"" + "x".repeat(40_000) + "\"}"), 413, "event_too_large", "bytes");
        add("too many events", post(ev, JSON, "[" + (OK + ",").repeat(1000) + OK + "]"), 413, "too_many_events", "more than 1000 events");
        add("1001 ndjson lines", post(ev, NDJSON, (OK + "\n").repeat(1001)), 413, "too_many_events", "more than 1000 events");
        add("body over 1 MiB is 413", post(ev, NDJSON, (OK + "\n").repeat((1 << 20) / OK.length() + 10)), 413, "body_too_large", "larger than 1048576 bytes");
        add("chunked body over 1 MiB is 413", post(ev, NDJSON, (OK + "\n").repeat((2 << 20) / OK.length())).chunked(), 413, "body_too_large", "larger than 1048576 bytes");
        add("declared Content-Length of 1 GiB is 413", new Req("POST", ev).header("Content-Type", JSON).declaredLength(1L << 30),
                413, "body_too_large", "larger than 1048576 bytes");

        // ---- header floods
        Req flood = post(ev, JSON, OK);
        for (int i = 0; i < 100; i++) flood.line("X-Flood-" + i + ": " + i);
        add("flood of 100 small headers", flood, 431, "too_many_headers", "more than 64 header fields");
        Req repeated = new Req("GET", "/purchase_a_sword");
        for (int i = 0; i < 80; i++) repeated.line("X-Same: " + i);
        add("one header repeated 80 times on a game endpoint", repeated, 431, "too_many_headers", "more than 64 header fields");
        add("one 16 KiB header", post(ev, JSON, OK).header("X-Big", "b".repeat(16 * 1024)), 431, "headers_too_large", "too large");
        Req many = post(ev, JSON, OK);
        for (int i = 0; i < 600; i++) many.line("X-Long-Header-Name-" + i + ": some-value-" + i);
        add("600 headers, 20 KiB in all", many, 431, "headers_too_large", "too large");

        // ---- content types, encodings, broken HTTP
        add("text/plain is 415", post(ev, "text/plain", OK), 415, "unsupported_media_type", "Content-Type must be");
        add("application/xml is 415", post(ev, "application/xml", "<event/>"), 415, "unsupported_media_type", "not application/xml");
        add("multipart/form-data is 415", post(ev, "multipart/form-data; boundary=x", "--x--"), 415, "unsupported_media_type", "not multipart/form-data");
        add("no content type is 415", post(ev, null, OK), 415, "unsupported_media_type", "none was sent");
        add("gzip Content-Encoding is 415", post(ev, JSON, new byte[]{0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0}).header("Content-Encoding", "gzip"),
                415, "unsupported_content_encoding", "send the body uncompressed");
        add("broken chunk size", new Req("POST", ev).header("Content-Type", JSON).header("Transfer-Encoding", "chunked")
                .body(null, "zz\r\n" + OK + "\r\n0\r\n\r\n"), 400, "bad_http_request", "not valid HTTP");
        add("garbage request line", new Req("GET", "/").requestLine("GET / HTTP/1.1 extra words"), 400, "bad_http_request", "not valid HTTP");

        // ---- API keys (QUESTLOG_API_KEYS is set for the corpus server)
        add("no API key", post(ev, JSON, OK).noKey(), 401, "missing_api_key", "needs an API key");
        add("wrong X-API-Key", post(ev, JSON, OK).noKey().header("X-API-Key", "not-the-key-0123456789abcdef"), 401, "invalid_api_key", "not valid");
        add("wrong bearer token", post(ev, JSON, OK).noKey().header("Authorization", "Bearer not-the-key-0123456789abcdef"), 401, "invalid_api_key", "not valid");
        add("key as a query parameter is not read", post(ev + "?api_key=" + KEY, JSON, OK).noKey(), 401, "missing_api_key", "needs an API key");
        add("Basic auth is not an API key", post(ev, JSON, OK).noKey().header("Authorization", "Basic dXNlcjpwYXNz"), 401, "missing_api_key", "needs an API key");

        // ---- methods, routes, CORS
        add("PUT /events is 405", new Req("PUT", ev).body(JSON, OK), 405, "method_not_allowed", "not allowed");
        add("GET /events is 405", new Req("GET", ev), 405, "method_not_allowed", "not allowed");
        add("DELETE on a game endpoint is 405", new Req("DELETE", "/purchase_a_sword"), 405, "method_not_allowed", "not allowed");
        add("POST to an unknown route is 404", post("/event", JSON, OK), 404, "no_such_route", "no such route");
        add("CORS preflight from an origin not listed", new Req("OPTIONS", ev).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"), 403, "cors_origin_not_allowed", "may not call");
        return List.copyOf(CASES);
    }

    /** Status, JSON content type, reason code, message, and index/field exactly as the case says. */
    public static void assertRefused(Case bad, RawHttp.Response r) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(bad.status());
        assertThat(r.header("Content-Type")).as(r.body()).startsWith("application/json");
        JsonNode err = Json.MAPPER.readTree(r.body());
        assertThat(err.path("reason").asText()).as(r.body()).isEqualTo(bad.reason());
        assertThat(err.path("error").asText()).as(r.body()).contains(bad.message());
        if (bad.index() == null) assertThat(err.has("index")).as(r.body()).isFalse();
        else assertThat(err.path("index").asInt(-1)).as(r.body()).isEqualTo(bad.index());
        if (bad.field() == null) assertThat(err.has("field")).as(r.body()).isFalse();
        else assertThat(err.path("field").asText()).as(r.body()).isEqualTo(bad.field());
        if (bad.status() == 401) assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
        if (bad.status() == 503) assertThat(r.header("Retry-After")).isNotNull();
    }

    private BadRequestCorpus() {
    }
}
