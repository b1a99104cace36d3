package io.questlog.ingest.http;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.questlog.ingest.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** API keys, CORS, and the in-flight bound: overload answers 503 + Retry-After, never holds more. */
class AccessAndOverloadTest {
    static final String OK = "{\"event_type\":\"ok\",\"user_id\":\"u\"}";
    static final String KEY = "k-0123456789abcdef-1";

    @Test
    void aValidKeyInEitherHeaderIsAcceptedAndNeverReachesKafka() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_API_KEYS", "k-0123456789abcdef-0, " + KEY))) {
            HttpResponse<String> header = server.post("/events", "application/json", OK, "X-API-Key", KEY);
            HttpResponse<String> bearer = server.post("/events", "application/json", OK, "Authorization", "Bearer " + KEY);
            assertThat(header.statusCode()).as(header.body()).isEqualTo(200);
            assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);
            assertThat(server.sink.received()).hasSize(2).allSatisfy(e ->
                    assertThat(e.headers()).doesNotContainKeys("x-api-key", "authorization"));
            // game endpoints stay open, as the seed's ab traffic expects
            assertThat(server.get("/purchase_a_sword").statusCode()).isEqualTo(200);
            HttpResponse<String> none = server.post("/events", "application/json", OK);
            assertThat(none.statusCode()).isEqualTo(401);
            assertThat(json(none).get("reason").textValue()).isEqualTo("missing_api_key");
            assertThat(server.sink.received()).hasSize(3);
        }
    }

    @Test
    void withoutKeysConfiguredNoKeyIsNeeded() throws Exception {
        try (TestServer server = new TestServer()) {
            assertThat(server.post("/events", "application/json", OK).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void corsAllowsListedOriginsAndAnswersPreflight() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_CORS_ORIGINS", "https://game.example, http://localhost:3000"))) {
            HttpResponse<String> r = server.post("/events", "application/json", OK, "Origin", "https://game.example");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("https://game.example");
            assertThat(r.headers().firstValue("Vary")).contains("Origin");

            HttpResponse<String> other = server.post("/events", "application/json", OK, "Origin", "https://evil.example");
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();

            // an error answer can be read by the page too (it needs the reason)
            HttpResponse<String> bad = server.post("/events", "application/json", "{", "Origin", "http://localhost:3000");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.headers().firstValue("Access-Control-Allow-Origin")).contains("http://localhost:3000");

            RawHttp.Response pre = RawHttp.exchange(server.app.port(), ("OPTIONS /events HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                    + "Origin: https://game.example\r\nAccess-Control-Request-Method: POST\r\n"
                    + "Access-Control-Request-Headers: content-type, x-api-key\r\n\r\n").getBytes(), false);
            assertThat(pre.status()).isEqualTo(204);
            assertThat(pre.header("Access-Control-Allow-Origin")).isEqualTo("https://game.example");
            assertThat(pre.header("Access-Control-Allow-Methods")).isEqualTo("POST");
            assertThat(pre.header("Access-Control-Allow-Headers")).isEqualTo("content-type, x-api-key");
            assertThat(pre.header("Access-Control-Allow-Credentials")).isNull();
            assertThat(server.sink.received()).hasSize(2); // CORS is the browser's guard: other origins are still served
        }
    }

    @Test
    void corsWildcard() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_CORS_ORIGINS", "*"))) {
            HttpResponse<String> r = server.get("/purchase_a_sword");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty(); // no Origin sent
            HttpResponse<String> o = server.post("/join_a_guild", "application/json", "{}", "Origin", "https://any.example");
            assertThat(o.headers().firstValue("Access-Control-Allow-Origin")).contains("*");
        }
    }

    @Test
    void withoutCorsConfiguredNoCorsHeadersAndOptionsIs405() throws Exception {
        try (TestServer server = new TestServer()) {
            HttpResponse<String> r = server.post("/events", "application/json", OK, "Origin", "https://game.example");
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            assertThat(server.send("OPTIONS", "/events").statusCode()).isEqualTo(405);
        }
    }

    @Test
    void beyondTheInFlightBoundRequestsGet503WithRetryAfterAndNothingIsProduced() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_INGEST_MAX_IN_FLIGHT", "3"))) {
            server.sink.mode(RecordingSink.Mode.HOLD);
            List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                held.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.post("/events", "application/json", OK);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            await().until(() -> server.sink.held() == 3);

            HttpResponse<String> over = server.post("/events", "application/json", OK);
            HttpResponse<String> game = server.get("/purchase_a_sword");
            for (HttpResponse<String> r : List.of(over, game)) {
                assertThat(r.statusCode()).isEqualTo(503);
                assertThat(r.headers().firstValue("Retry-After")).contains("5");
                assertThat(json(r).get("reason").textValue()).isEqualTo("overloaded");
                assertThat(json(r).get("error").textValue()).contains("3 requests are already in flight");
            }
            // health and metrics stay answerable under overload
            assertThat(server.get("/health").statusCode()).isEqualTo(200);
            assertThat(server.get("/metrics").body()).contains("questlog_ingest_admitted_requests 3.0");
            assertThat(server.sink.held()).isEqualTo(3);

            server.sink.releaseHeld();
            for (CompletableFuture<HttpResponse<String>> f : held) assertThat(f.get().statusCode()).isEqualTo(200);
            server.sink.mode(RecordingSink.Mode.ACK);
            await().untilAsserted(() -> assertThat(server.post("/events", "application/json", OK).statusCode()).isEqualTo(200));
        }
    }

    @Test
    void bodiesInFlightAreBoundedInBytes() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_INGEST_MAX_BODY", "1KiB", "QUESTLOG_INGEST_MAX_IN_FLIGHT_BYTES", "1KiB"))) {
            server.sink.mode(RecordingSink.Mode.HOLD);
            String big = "[" + (OK + ",").repeat(20) + OK + "]"; // 720 bytes
            CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return server.post("/events", "application/json", big);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await().until(() -> server.sink.held() == 1);
            HttpResponse<String> second = server.post("/events", "application/json", big);
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(json(second).get("error").textValue()).contains("would exceed 1024 bytes");
            server.sink.releaseHeld();
            assertThat(first.get().statusCode()).isEqualTo(200);
            server.sink.mode(RecordingSink.Mode.ACK);
            await().untilAsserted(() -> assertThat(server.post("/events", "application/json", big).statusCode()).isEqualTo(200));
        }
    }

    @Test
    void connectionsBeyondTheLimitWaitToBeAcceptedUntilOneCloses() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_INGEST_MAX_CONNECTIONS", "3"))) {
            List<Socket> open = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Socket s = new Socket("127.0.0.1", server.app.port());
                open.add(s);
                assertThat(health(s)).startsWith("HTTP/1.1 200");
            }
            try (Socket waiting = new Socket("127.0.0.1", server.app.port())) {
                waiting.setSoTimeout(1500);
                assertThatThrownBy(() -> health(waiting)).isInstanceOf(SocketTimeoutException.class);
                open.remove(0).close();
                waiting.setSoTimeout(10_000);
                assertThat(statusLine(waiting.getInputStream())).startsWith("HTTP/1.1 200");
            }
            for (Socket s : open) s.close();
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_INGEST_IDLE_TIMEOUT", "500 ms"));
             Socket s = new Socket("127.0.0.1", server.app.port())) {
            s.setSoTimeout(10_000);
            assertThat(health(s)).startsWith("HTTP/1.1 200");
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the rest of the answer, then the server's close (a timeout here means it kept the connection)
            }
        }
    }

    /** Sends GET /health on a kept-alive connection and returns the answer's status line. */
    private static String health(Socket s) throws Exception {
        s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return statusLine(s.getInputStream());
    }

    private static String statusLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) line.append((char) c);
        return line.toString().trim();
    }
}
