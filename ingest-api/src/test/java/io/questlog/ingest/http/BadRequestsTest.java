package io.questlog.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every refused request answers a JSON error and leaves the sink untouched. */
class BadRequestsTest {
    static final String JSON = "application/json";
    static final String NDJSON = "application/x-ndjson";
    static final String OK = "{\"event_type\":\"ok\",\"user_id\":\"u\"}";
    static TestServer server;

    record Bad(String name, String path, String contentType, byte[] body, int status, String message, Integer index, String field) {
        Bad(String name, String contentType, String body, int status, String message, Integer index, String field) {
            this(name, "/events", contentType, body.getBytes(StandardCharsets.UTF_8), status, message, index, field);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static List<Bad> badRequests() {
        long future = System.currentTimeMillis() + 2 * 3_600_000L;
        return List.of(
                new Bad("malformed JSON", JSON, "{\"event_type\": \"a\", user_id}", 400, "malformed JSON at line 1, column", null, null),
                new Bad("truncated object", JSON, "{\"event_type\":\"a\",\"user_id\":\"u\"", 400, "end-of-input", null, null),
                new Bad("truncated array names the event", JSON, "[" + OK + ",{\"event_type\":", 400, "malformed JSON", 1, null),
                new Bad("multi-line malformed names the line", JSON, "[\n" + OK + ",\n{\"event_type\" \"x\"}]", 400, "line 3", 1, null),
                new Bad("trailing garbage", JSON, OK + " xyz", 400, "malformed JSON", null, null),
                new Bad("duplicate key", JSON, "{\"event_type\":\"a\",\"event_type\":\"b\",\"user_id\":\"u\"}", 400, "Duplicate field", null, null),
                new Bad("event_type a number", JSON, "{\"event_type\":5,\"user_id\":\"u\"}", 400, "must be a string", 0, "event_type"),
                new Bad("event_type bad pattern", JSON, "{\"event_type\":\"Level-Up\",\"user_id\":\"u\"}", 400, "must match", 0, "event_type"),
                new Bad("event_type missing", JSON, "{\"user_id\":\"u\"}", 400, "event_type is required", 0, "event_type"),
                new Bad("user missing", JSON, "{\"event_type\":\"a\"}", 400, "user_id or anonymous_id is required", 0, "user_id"),
                new Bad("user_id an array", JSON, "{\"event_type\":\"a\",\"user_id\":[1]}", 400, "must be a string", 0, "user_id"),
                new Bad("timestamp a string", JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":\"yesterday\"}",
                        400, "epoch milliseconds", 0, "device_sent_timestamp"),
                new Bad("timestamp negative", JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":-5}",
                        400, "negative", 0, "device_sent_timestamp"),
                new Bad("timestamp in the future", JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":" + future + "}",
                        400, "in the future", 0, "device_sent_timestamp"),
                new Bad("event_id not uuid-like", JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"event_id\":\"<script>\"}",
                        400, "event_id", 0, "event_id"),
                new Bad("last event of a batch bad: nothing accepted", JSON, "[" + OK + "," + OK + ",{\"event_type\":\"a\",\"user_id\":{}}]",
                        400, "user_id", 2, "user_id"),
                new Bad("empty body", JSON, "", 400, "empty body", null, null),
                new Bad("whitespace body", NDJSON, " \n\n ", 400, "empty body", null, null),
                new Bad("empty array", JSON, "[]", 400, "no events", null, null),
                new Bad("top-level string", JSON, "\"purchase\"", 400, "expected a JSON object", null, null),
                new Bad("array holding a number", JSON, "[" + OK + ", 42]", 400, "expected a JSON object", 1, null),
                new Bad("huge field", JSON, "{\"event_type\":\"a\",\"user_id\":\"u\",\"blob\":\"" + "x".repeat(40_000) + "\"}",
                        413, "more than the limit of 32768", 0, null),
                new Bad("too many events", JSON, "[" + (OK + ",").repeat(1000) + OK + "]", 413, "more than 1000 events", null, null),
                new Bad("text/plain is 415", "text/plain", OK, 415, "Content-Type must be", null, null),
                new Bad("application/xml is 415", "application/xml", "<event/>", 415, "not application/xml", null, null),
                new Bad("no content type is 415", null, OK, 415, "none was sent", null, null),
                new Bad("body over 1 MiB is 413", NDJSON, (OK + "\n").repeat((1 << 20) / OK.length() + 10), 413, "larger than 1048576 bytes", null, null),
                new Bad("ndjson bad line names its index", NDJSON, OK + "\n" + OK + "\n\n{\"event_type\":\n" + OK, 400, "line 4", 2, null),
                new Bad("ndjson invalid event names its index", NDJSON, OK + "\n{\"event_type\":\"UP\",\"user_id\":\"u\"}", 400, "must match", 1, "event_type"),
                new Bad("game endpoint with malformed JSON body", "/purchase_a_sword", JSON,
                        "{\"sword_type\":".getBytes(StandardCharsets.UTF_8), 400, "malformed JSON", null, null));
    }

    @BeforeAll
    static void start() {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.sink.clear();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAJsonErrorAndNothingProduced(Bad bad) throws Exception {
        HttpResponse<String> r = server.post(bad.path(), bad.contentType(), bad.body());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(bad.status());
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode err = TestServer.json(r);
        assertThat(err.get("error").textValue()).contains(bad.message());
        if (bad.index() == null) assertThat(err.has("index")).as(r.body()).isFalse();
        else assertThat(err.get("index").intValue()).as(r.body()).isEqualTo(bad.index());
        if (bad.field() == null) assertThat(err.has("field")).as(r.body()).isFalse();
        else assertThat(err.get("field").textValue()).isEqualTo(bad.field());
        assertThat(server.sink.received()).isEmpty();
    }
}
