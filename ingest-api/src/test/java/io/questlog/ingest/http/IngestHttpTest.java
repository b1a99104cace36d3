package io.questlog.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.questlog.ingest.event.Envelope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static io.questlog.ingest.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

class IngestHttpTest {
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/16.5 Mobile/15E148 Safari/604.1";
    static TestServer server;

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
        server.sink.mode(RecordingSink.Mode.ACK);
        server.sink.healthy(true);
    }

    @Test
    void gameEndpointsAnswerAsTheSeedDidAndProduceOneEventEach() throws Exception {
        assertThat(server.get("/").body()).isEqualTo("This is the default response!\n");
        HttpResponse<String> sword = server.get("/purchase_a_sword?sword_type=katana&user_id=u7");
        assertThat(sword.statusCode()).isEqualTo(200);
        assertThat(sword.body()).isEqualTo("Sword Purchased!\n");
        assertThat(sword.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(server.post("/join_a_guild", "application/json", "{\"guild_name\":\"Knights\",\"size\":12}",
                "X-User-Id", "hdr-user").body()).isEqualTo("Joined a Guild!\n");

        assertThat(server.sink.received()).extracting(Envelope::eventType)
                .containsExactly("default", "purchase_sword", "join_guild");
        Envelope s = server.sink.received().get(1);
        assertThat(s.userId()).isEqualTo("u7");
        assertThat(s.attributes()).containsExactly(Map.entry("sword_type", "katana"));
        assertThat(s.host()).isEqualTo("127.0.0.1:" + server.app.port());
        assertThat(s.eventTs()).isEqualTo(s.receivedTs());
        Envelope g = server.sink.received().get(2);
        assertThat(g.userId()).isEqualTo("hdr-user");
        assertThat(g.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("guild_name", "Knights", "size", "12"));
        // without user_id or X-User-Id the Host header stands for the user, as in the seed
        assertThat(server.sink.received().get(0).userId()).isEqualTo("127.0.0.1:" + server.app.port());
    }

    @Test
    void gameEndpointsAcceptFormBodiesAndIgnoreOtherBodies() throws Exception {
        server.post("/purchase_a_sword", "application/x-www-form-urlencoded", "sword_type=long+sword&price=10");
        server.post("/purchase_a_sword", "text/plain", "whatever ab sends");
        assertThat(server.sink.received()).hasSize(2);
        assertThat(server.sink.received().get(0).attributes()).containsEntry("sword_type", "long sword").containsEntry("price", "10");
        assertThat(server.sink.received().get(1).attributes()).isEmpty();
    }

    @Test
    void gameEndpointsTakeAnIdempotencyKeyAsTheEventId() throws Exception {
        assertThat(server.get("/purchase_a_sword?event_id=retry-1&sword=x").statusCode()).isEqualTo(200);
        assertThat(server.post("/join_a_guild", "application/json", "{\"guild_name\":\"Owls\"}",
                "Idempotency-Key", "11111111-2222-3333-4444-555555555555").statusCode()).isEqualTo(200);
        // the query parameter wins over the header
        assertThat(server.http.send(java.net.http.HttpRequest.newBuilder(server.uri("/?event_id=from-query"))
                .header("Idempotency-Key", "from-header").GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
        assertThat(server.get("/purchase_a_sword").statusCode()).isEqualTo(200);

        var got = server.sink.received();
        assertThat(got).extracting(Envelope::eventId).startsWith("retry-1", "11111111-2222-3333-4444-555555555555", "from-query");
        assertThat(got.get(3).eventId()).matches("[0-9a-f-]{36}");
        assertThat(got.get(0).attributes()).containsExactly(Map.entry("sword", "x"));
        assertThat(got.get(1).attributes()).containsExactly(Map.entry("guild_name", "Owls"));
    }

    @Test
    void anInvalidIdempotencyKeyIs400NamingWhereItCameFrom() throws Exception {
        HttpResponse<String> q = server.get("/purchase_a_sword?event_id=a%20b");
        assertThat(q.statusCode()).isEqualTo(400);
        assertThat(json(q).get("reason").textValue()).isEqualTo("invalid_field");
        assertThat(json(q).get("field").textValue()).isEqualTo("event_id");
        HttpResponse<String> h = server.post("/join_a_guild", "application/json", "{}", "Idempotency-Key", "x".repeat(129));
        assertThat(h.statusCode()).isEqualTo(400);
        assertThat(json(h).get("field").textValue()).isEqualTo("Idempotency-Key");
        assertThat(json(h).get("error").textValue()).contains("at most 128");
        assertThat(server.sink.received()).isEmpty();
    }

    @Test
    void userIdsFromQueryHeaderAndHostAreBoundedLikeBodyOnes() throws Exception {
        assertThat(server.get("/purchase_a_sword?user_id=" + "u".repeat(256)).statusCode()).isEqualTo(200);
        assertThat(server.sink.received().get(0).userId()).hasSize(256);
        // Host stands for the user when nothing else does: a 300-character one is refused, not stored
        String answer = server.raw("GET / HTTP/1.1\r\nHost: " + "h".repeat(300) + "\r\nConnection: close\r\n\r\n", 1);
        assertThat(answer).startsWith("HTTP/1.1 400").contains("\"field\":\"Host\"");
        // with a user id from elsewhere a long Host does no harm
        assertThat(server.raw("GET /?user_id=u1 HTTP/1.1\r\nHost: " + "h".repeat(300) + "\r\nConnection: close\r\n\r\n", 1))
                .startsWith("HTTP/1.1 200");
        assertThat(server.sink.received()).hasSize(2);
    }

    @Test
    void http10KeepAliveAsApacheBenchSendsIt() throws Exception {
        String req = "GET /purchase_a_sword HTTP/1.0\r\nConnection: Keep-Alive\r\nHost: user1.comcast.com\r\n"
                + "User-Agent: ApacheBench/2.3\r\nAccept: */*\r\n\r\n";
        String answers = server.raw(req + req, 2);
        assertThat(answers.split("Sword Purchased!\n", -1)).hasSize(3);
        assertThat(answers).startsWith("HTTP/1.").contains(" 200 ").contains("Content-Length: 17");
        assertThat(server.sink.received()).hasSize(2).allSatisfy(e -> {
            assertThat(e.userId()).isEqualTo("user1.comcast.com");
            assertThat(e.userAgent()).isEqualTo("ApacheBench/2.3");
            assertThat(e.accept()).isEqualTo("*/*");
            assertThat(e.headers()).containsOnlyKeys("connection");
        });
    }

    @Test
    void http10PostWithoutKeepAlive() throws Exception {
        String body = "{\"guild_name\":\"Owls\"}";
        String answer = server.raw("POST /join_a_guild HTTP/1.0\r\nHost: user2.att.com\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + body.length() + "\r\n\r\n" + body, 1);
        assertThat(answer).contains("200").endsWith("Joined a Guild!\n");
        assertThat(server.sink.received()).singleElement().satisfies(e -> {
            assertThat(e.userId()).isEqualTo("user2.att.com");
            assertThat(e.attributes()).containsExactly(Map.entry("guild_name", "Owls"));
        });
    }

    @Test
    void postEventsWithOneObject() throws Exception {
        HttpResponse<String> r = server.post("/events", "application/json", """
                {"event_type":"level_up","user_id":"u-1","device_sent_timestamp":1700000000000,"level":3}""",
                "User-Agent", IPHONE, "Authorization", "Bearer s3cret", "Cookie", "sid=1", "X-Api-Key", "k",
                "X-Session-Token", "t", "X-Game-Version", "1.4.2");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.get("accepted").intValue()).isEqualTo(1);
        Envelope e = server.sink.received().get(0);
        assertThat(body.get("event_ids").get(0).textValue()).isEqualTo(e.eventId());
        assertThat(e.eventType()).isEqualTo("level_up");
        assertThat(e.userId()).isEqualTo("u-1");
        assertThat(e.eventTs()).isEqualTo(1700000000000L);
        assertThat(e.receivedTs()).isGreaterThan(1700000000000L);
        assertThat(e.attributes()).containsExactly(Map.entry("level", "3"));
        assertThat(e.browserFamily()).isEqualTo("Mobile Safari");
        assertThat(e.osFamily()).isEqualTo("iOS");
        assertThat(e.deviceFamily()).isEqualTo("iPhone");
        assertThat(e.headers()).containsEntry("x-game-version", "1.4.2").containsEntry("content-type", "application/json")
                .doesNotContainKeys("authorization", "cookie", "x-api-key", "x-session-token", "user-agent", "host", "accept");
    }

    @Test
    void sentAtCorrectsAFastDeviceClock() throws Exception {
        long fast = System.currentTimeMillis() + 40 * 60_000L; // device clock 40 minutes ahead
        HttpResponse<String> r = server.post("/events", "application/json",
                "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":" + fast + ",\"sent_at\":" + fast + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Envelope e = server.sink.received().get(0);
        assertThat(e.eventTs()).isCloseTo(e.receivedTs(), org.assertj.core.data.Offset.offset(1000L));
        assertThat(e.deviceTs()).isEqualTo(fast);
        assertThat(e.attributes()).doesNotContainKey("sent_at");
    }

    @Test
    void xSentAtHeaderAppliesToEveryEventOfTheRequest() throws Exception {
        long fast = System.currentTimeMillis() + 40 * 60_000L;
        HttpResponse<String> r = server.post("/events", "application/x-ndjson",
                "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":" + (fast - 60_000) + "}\n"
                        + "{\"event_type\":\"b\",\"user_id\":\"u\",\"device_sent_timestamp\":" + fast + "}\n"
                        + "{\"event_type\":\"c\",\"user_id\":\"u\"}\n",
                "X-Sent-At", Long.toString(fast));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        var got = server.sink.received();
        assertThat(got.get(0).eventTs()).isCloseTo(got.get(0).receivedTs() - 60_000, org.assertj.core.data.Offset.offset(1000L));
        assertThat(got.get(0).deviceTs()).isEqualTo(fast - 60_000);
        assertThat(got.get(1).eventTs()).isCloseTo(got.get(1).receivedTs(), org.assertj.core.data.Offset.offset(1000L));
        assertThat(got.get(2).eventTs()).isEqualTo(got.get(2).receivedTs());
        assertThat(got.get(2).deviceTs()).isNull();
    }

    @Test
    void withoutSentAtTheDeviceTimestampStandsAndMoreThanAnHourAheadIsRefused() throws Exception {
        long fast = System.currentTimeMillis() + 40 * 60_000L;
        assertThat(server.post("/events", "application/json", "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + fast + "}").statusCode()).isEqualTo(200);
        assertThat(server.sink.received().get(0).eventTs()).isEqualTo(fast);
        assertThat(server.sink.received().get(0).deviceTs()).isEqualTo(fast);
        HttpResponse<String> r = server.post("/events", "application/json", "{\"event_type\":\"a\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + (System.currentTimeMillis() + 2 * 3_600_000L) + "}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("field").textValue()).isEqualTo("device_sent_timestamp");
        // game endpoints have no device time
        server.get("/purchase_a_sword");
        assertThat(server.sink.received().get(1).deviceTs()).isNull();
    }

    @Test
    void postEventsWithAnArrayKeepsClientEventIds() throws Exception {
        HttpResponse<String> r = server.post("/events", "application/json; charset=utf-8", """
                [{"event_type":"a","anonymous_id":"x","event_id":"11111111-2222-3333-4444-555555555555"},
                 {"event_type":"b","anonymous_id":"x"}]""");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("accepted").intValue()).isEqualTo(2);
        assertThat(json(r).get("event_ids").get(0).textValue()).isEqualTo("11111111-2222-3333-4444-555555555555");
        assertThat(server.sink.received()).extracting(Envelope::eventType).containsExactly("a", "b");
        assertThat(server.sink.received().get(1).eventId()).isEqualTo(json(r).get("event_ids").get(1).textValue())
                .matches("[0-9a-f-]{36}");
    }

    @Test
    void postEventsAsNdjson() throws Exception {
        HttpResponse<String> r = server.post("/events", "application/x-ndjson; charset=UTF-8",
                "{\"event_type\":\"a\",\"user_id\":\"u\"}\n{\"event_type\":\"b\",\"user_id\":\"u\"}\n\n{\"event_type\":\"c\",\"user_id\":\"u\"}\n");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).get("accepted").intValue()).isEqualTo(3);
        assertThat(server.sink.received()).extracting(Envelope::eventType).containsExactly("a", "b", "c");
    }

    @Test
    void aThousandEventsFitInOneBatch() throws Exception {
        StringBuilder nd = new StringBuilder();
        for (int i = 0; i < 1000; i++) nd.append("{\"event_type\":\"tick\",\"user_id\":\"u").append(i % 7).append("\",\"n\":").append(i).append("}\n");
        HttpResponse<String> r = server.post("/events", "application/x-ndjson", nd.toString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(server.sink.received()).hasSize(1000);
    }

    @Test
    void sinkFailureAnswers503WithRetryAfterAndClaimsNothing() throws Exception {
        server.sink.mode(RecordingSink.Mode.FAIL);
        HttpResponse<String> r = server.post("/events", "application/json", "{\"event_type\":\"a\",\"user_id\":\"u\"}");
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("5");
        assertThat(json(r).get("error").textValue()).contains("not accepted").contains("broker unreachable");
        assertThat(json(r).has("accepted")).isFalse();
        assertThat(json(r).has("event_ids")).isFalse();

        HttpResponse<String> game = server.get("/purchase_a_sword");
        assertThat(game.statusCode()).isEqualTo(503);
        assertThat(game.body()).doesNotContain("Sword Purchased");
    }

    @Test
    void healthFollowsTheSink() throws Exception {
        HttpResponse<String> up = server.get("/health");
        assertThat(up.statusCode()).isEqualTo(200);
        assertThat(json(up).get("status").textValue()).isEqualTo("ok");
        assertThat(json(up).get("kafka").textValue()).isEqualTo("up");
        server.sink.healthy(false);
        HttpResponse<String> down = server.get("/health");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(json(down).get("kafka").textValue()).isEqualTo("down");
    }

    @Test
    void metricsInPrometheusText() throws Exception {
        server.get("/purchase_a_sword");
        server.post("/events", "application/json", "{\"event_type\":\"Bad\",\"user_id\":\"u\"}");
        HttpResponse<String> m = server.get("/metrics");
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
        assertThat(m.body())
                .contains("questlog_ingest_requests_total{method=\"GET\",route=\"/purchase_a_sword\",status=\"200\"}")
                .contains("questlog_ingest_events_accepted_total{endpoint=\"purchase_sword\"}")
                .contains("questlog_ingest_events_rejected_total{reason=\"invalid_field\"}")
                .contains("questlog_ingest_produce_seconds_bucket")
                .contains("questlog_ingest_in_flight_requests");
    }

    @Test
    void unknownRouteIs404Json() throws Exception {
        HttpResponse<String> r = server.get("/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(json(r).get("error").textValue()).contains("no such route");
    }

    @Test
    void wrongMethodIs405Json() throws Exception {
        HttpResponse<String> r = server.get("/events");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(json(r).get("error").textValue()).contains("not allowed");
        assertThat(server.send("DELETE", "/purchase_a_sword").statusCode()).isEqualTo(405);
        assertThat(server.sink.received()).isEmpty();
    }
}
