package io.questlog.ingest.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeFactoryTest {
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/16.5 Mobile/15E148 Safari/604.1";
    static final long NOW = 1_700_000_000_000L;

    final EnvelopeFactory factory = new EnvelopeFactory(new UserAgentFamilies(100), Duration.ofHours(1), () -> "generated-id");
    final RequestInfo req = new RequestInfo("game.example:5000", IPHONE, "*/*", "",
            Map.of("x-forwarded-for", "10.0.0.1"), NOW);

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) Json.MAPPER.readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void buildsTheEnvelopeOfAFullUserEvent() {
        Envelope e = factory.fromUserEvent(json("""
                {"event_type":"level_up","user_id":"u-42","device_sent_timestamp":1699999990000,
                 "event_id":"7f1c2e9a-0b7c-4f7e-9a55-3c2f4d1e8b10","level":7,"hero":{"class":"mage"},
                 "tags":["a","b"],"ok":true,"note":"hi","nothing":null}"""), 0, req);

        assertThat(e.eventId()).isEqualTo("7f1c2e9a-0b7c-4f7e-9a55-3c2f4d1e8b10");
        assertThat(e.eventType()).isEqualTo("level_up");
        assertThat(e.userId()).isEqualTo("u-42");
        assertThat(e.eventTs()).isEqualTo(1699999990000L);
        assertThat(e.receivedTs()).isEqualTo(NOW);
        assertThat(e.deviceTs()).isEqualTo(1699999990000L);
        assertThat(e.host()).isEqualTo("game.example:5000");
        assertThat(e.userAgent()).isEqualTo(IPHONE);
        assertThat(e.accept()).isEqualTo("*/*");
        assertThat(e.headers()).containsExactly(Map.entry("x-forwarded-for", "10.0.0.1"));
        assertThat(e.browserFamily()).isEqualTo("Mobile Safari");
        assertThat(e.osFamily()).isEqualTo("iOS");
        assertThat(e.deviceFamily()).isEqualTo("iPhone");
        assertThat(e.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "level", "7", "hero", "{\"class\":\"mage\"}", "tags", "[\"a\",\"b\"]", "ok", "true", "note", "hi"));
        assertThat(e.schemaVersion()).isEqualTo(1);
    }

    @Test
    void defaultsEventIdAndTimestampAndTakesFamiliesFromTheBody() {
        Envelope e = factory.fromUserEvent(json("""
                {"event_type":"login","anonymous_id":"anon-1","browser_family":"QuestClient","os_family":"Switch"}"""), 0, req);

        assertThat(e.eventId()).isEqualTo("generated-id");
        assertThat(e.userId()).isEqualTo("anon-1");
        assertThat(e.eventTs()).isEqualTo(NOW);
        assertThat(e.browserFamily()).isEqualTo("QuestClient");
        assertThat(e.osFamily()).isEqualTo("Switch");
        assertThat(e.deviceFamily()).isEqualTo("iPhone"); // not sent: from the User-Agent
        assertThat(e.attributes()).isEmpty();
    }

    @Test
    void userIdWinsOverAnonymousIdWhichIsKeptAsAttribute() {
        Envelope e = factory.fromUserEvent(json("{\"event_type\":\"login\",\"anonymous_id\":\"a\",\"user_id\":7}"), 0, req);
        assertThat(e.userId()).isEqualTo("7");
        assertThat(e.attributes()).containsExactly(Map.entry("anonymous_id", "a"));
    }

    @Test
    void sentAtCorrectsTheDeviceClockAndDeviceTsKeepsTheRawValue() {
        long fast = 40 * 60_000L; // the device clock runs 40 minutes ahead
        long happened = NOW - 5_000 + fast, sent = NOW - 200 + fast;
        Envelope e = factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + happened + ",\"sent_at\":" + sent + "}"), 0, req);
        assertThat(e.eventTs()).isEqualTo(NOW - 4_800); // 5 s before sending, on the server's clock (the 200 ms in flight count as skew)
        assertThat(e.deviceTs()).isEqualTo(happened);
        assertThat(e.attributes()).isEmpty(); // sent_at is not an attribute

        // the request's X-Sent-At applies to every event; an event's own sent_at wins
        RequestInfo withHeader = new RequestInfo("h", "", "", "", Map.of(), NOW, "", NOW + fast);
        assertThat(factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + (NOW + fast - 1000) + "}"), 0, withHeader).eventTs()).isEqualTo(NOW - 1000);
        assertThat(factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + (NOW - 1000) + ",\"sent_at\":" + NOW + "}"), 0, withHeader).eventTs()).isEqualTo(NOW - 1000);
        // without a device timestamp there is nothing to correct
        Envelope none = factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"sent_at\":" + sent + "}"), 0, req);
        assertThat(none.eventTs()).isEqualTo(NOW);
        assertThat(none.deviceTs()).isNull();
    }

    @Test
    void withoutSentAtTheDeviceTimestampIsKeptAndStillBoundedBySkew() {
        long fast = NOW + 40 * 60_000L;
        Envelope e = factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"device_sent_timestamp\":" + fast + "}"), 0, req);
        assertThat(e.eventTs()).isEqualTo(fast);
        assertThat(e.deviceTs()).isEqualTo(fast);
        assertThatThrownBy(() -> factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + (NOW + 3_600_001) + "}"), 0, req)).hasMessageContaining("in the future");
        // corrected by sent_at, the same raw value is fine (the bound is on the corrected time)
        assertThat(factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + (NOW + 7_200_000) + ",\"sent_at\":" + (NOW + 7_200_000) + "}"), 0, req).eventTs()).isEqualTo(NOW);
        // and a corrected time still more than an hour ahead is refused
        assertThatThrownBy(() -> factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + (NOW + 7_200_000) + ",\"sent_at\":" + NOW + "}"), 0, req)).hasMessageContaining("after the sent_at correction");
    }

    @Test
    void sentAtHeaderIsValidated() {
        assertThat(EnvelopeFactory.sentAtHeader(null)).isNull();
        assertThat(EnvelopeFactory.sentAtHeader(" 1700000000000 ")).isEqualTo(1700000000000L);
        for (String bad : new String[]{"1700000000", "-1", "1.7e12", "soon", "99999999999999999999"}) {
            assertThatThrownBy(() -> EnvelopeFactory.sentAtHeader(bad))
                    .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.field()).contains("X-Sent-At"));
        }
    }

    @Test
    void acceptsATimestampJustInsideTheSkew() {
        long ts = NOW + Duration.ofHours(1).toMillis();
        assertThat(factory.fromUserEvent(json("{\"event_type\":\"x\",\"user_id\":\"u\",\"device_sent_timestamp\":" + ts + "}"), 0, req)
                .eventTs()).isEqualTo(ts);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing event_type      | {\"user_id\":\"u\"}                                           | event_type",
            "event_type not a string | {\"event_type\":5,\"user_id\":\"u\"}                          | event_type",
            "event_type upper case   | {\"event_type\":\"Buy\",\"user_id\":\"u\"}                    | event_type",
            "event_type starts digit | {\"event_type\":\"1buy\",\"user_id\":\"u\"}                   | event_type",
            "event_type too long     | {\"event_type\":\"a1234567890123456789012345678901234567890123456789012345678901234\",\"user_id\":\"u\"} | event_type",
            "no user                 | {\"event_type\":\"buy\"}                                      | user_id",
            "user_id object          | {\"event_type\":\"buy\",\"user_id\":{}}                        | user_id",
            "user_id empty           | {\"event_type\":\"buy\",\"user_id\":\"  \"}                    | user_id",
            "anonymous_id bool       | {\"event_type\":\"buy\",\"anonymous_id\":true}                 | anonymous_id",
            "timestamp as string     | {\"event_type\":\"buy\",\"user_id\":\"u\",\"device_sent_timestamp\":\"1\"}   | device_sent_timestamp",
            "timestamp fractional    | {\"event_type\":\"buy\",\"user_id\":\"u\",\"device_sent_timestamp\":1.5}     | device_sent_timestamp",
            "timestamp negative      | {\"event_type\":\"buy\",\"user_id\":\"u\",\"device_sent_timestamp\":-1}      | device_sent_timestamp",
            "timestamp in future     | {\"event_type\":\"buy\",\"user_id\":\"u\",\"device_sent_timestamp\":1700003600001} | device_sent_timestamp",
            "event_id number         | {\"event_type\":\"buy\",\"user_id\":\"u\",\"event_id\":12}     | event_id",
            "event_id with spaces    | {\"event_type\":\"buy\",\"user_id\":\"u\",\"event_id\":\"a b\"} | event_id",
            "event_id empty          | {\"event_type\":\"buy\",\"user_id\":\"u\",\"event_id\":\"\"}    | event_id",
            "event_id starts with -  | {\"event_type\":\"buy\",\"user_id\":\"u\",\"event_id\":\"-a\"}  | event_id",
            "event_id non-ASCII      | {\"event_type\":\"buy\",\"user_id\":\"u\",\"event_id\":\"caf\u00e9\"} | event_id",
            "event_id with slash     | {\"event_type\":\"buy\",\"user_id\":\"u\",\"event_id\":\"a/b\"} | event_id",
            "sent_at a string        | {\"event_type\":\"buy\",\"user_id\":\"u\",\"sent_at\":\"now\"}  | sent_at",
            "sent_at in seconds      | {\"event_type\":\"buy\",\"user_id\":\"u\",\"sent_at\":1700000000}  | sent_at",
            "sent_at fractional      | {\"event_type\":\"buy\",\"user_id\":\"u\",\"sent_at\":1.7e12}  | sent_at",
            "browser_family number   | {\"event_type\":\"buy\",\"user_id\":\"u\",\"browser_family\":1} | browser_family",
    })
    void refusesABadEventNamingTheField(String name, String event, String field) {
        assertThatThrownBy(() -> factory.fromUserEvent(json(event), 3, req))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.index()).contains(3);
                    assertThat(e.field()).contains(field);
                    assertThat(e.getMessage()).contains(field);
                });
    }

    @Test
    void futureTimestampErrorSaysHowFar() {
        assertThatThrownBy(() -> factory.fromUserEvent(json("{\"event_type\":\"b\",\"user_id\":\"u\",\"device_sent_timestamp\":"
                + (NOW + 3_600_001) + "}"), 0, req)).hasMessageContaining("more than 1 hour in the future");
    }

    @Test
    void eventIdOf128CharactersPassesAnd129DoNot() {
        String id128 = "a".repeat(128);
        for (String ok : new String[]{"Z", "0", "a-b_c.d:e", "9.Z_z:0-"}) {
            assertThat(factory.fromUserEvent(json("{\"event_type\":\"b\",\"user_id\":\"u\",\"event_id\":\"" + ok + "\"}"), 0, req)
                    .eventId()).isEqualTo(ok);
        }
        assertThat(factory.fromUserEvent(json("{\"event_type\":\"b\",\"user_id\":\"u\",\"event_id\":\"" + id128 + "\"}"), 0, req)
                .eventId()).isEqualTo(id128);
        assertThatThrownBy(() -> factory.fromUserEvent(json("{\"event_type\":\"b\",\"user_id\":\"u\",\"event_id\":\"" + id128 + "b\"}"), 0, req))
                .isInstanceOf(InvalidEventException.class);
    }

    @Test
    void batchReportsTheIndexOfTheFirstBadEvent() {
        List<ObjectNode> batch = List.of(json("{\"event_type\":\"a\",\"user_id\":\"u\"}"), json("{\"event_type\":\"a\"}"));
        assertThatThrownBy(() -> factory.fromUserEvents(batch, req))
                .isInstanceOfSatisfying(InvalidEventException.class, e -> assertThat(e.index()).contains(1));
    }

    @Test
    void gameRequestTakesUserFromQueryThenHeaderThenHost() {
        Map<String, String> q = Map.of("user_id", "q-user", "sword_type", "katana");
        Envelope fromQuery = factory.fromGameRequest("purchase_sword", q, Optional.empty(), req);
        assertThat(fromQuery.userId()).isEqualTo("q-user");
        assertThat(fromQuery.attributes()).containsExactly(Map.entry("sword_type", "katana"));
        assertThat(fromQuery.eventTs()).isEqualTo(NOW).isEqualTo(fromQuery.receivedTs());

        RequestInfo withHeader = new RequestInfo("h:1", "", "", "hdr-user", Map.of(), NOW);
        assertThat(factory.fromGameRequest("default", Map.of(), Optional.empty(), withHeader).userId()).isEqualTo("hdr-user");
        RequestInfo hostOnly = new RequestInfo("user1.comcast.com", "", "", "", Map.of(), NOW);
        Envelope byHost = factory.fromGameRequest("default", Map.of(), Optional.empty(), hostOnly);
        assertThat(byHost.userId()).isEqualTo("user1.comcast.com");
        assertThat(byHost.browserFamily()).isEqualTo("Other");
        assertThat(byHost.userAgent()).isEmpty();
    }

    @Test
    void gameRequestMergesAJsonBodyOverQueryParameters() {
        Envelope e = factory.fromGameRequest("join_guild", Map.of("guild_name", "old", "x", "1"),
                Optional.of(json("{\"guild_name\":\"Knights\",\"price\":12.5,\"user_id\":\"body-user\"}")), req);
        assertThat(e.userId()).isEqualTo("body-user");
        assertThat(e.attributes()).containsExactlyInAnyOrderEntriesOf(Map.of("guild_name", "Knights", "price", "12.5", "x", "1"));
    }

    @Test
    void envelopeJsonHasTheDesignFieldNamesInOrder() throws Exception {
        Envelope e = factory.fromUserEvent(json("{\"event_type\":\"a\",\"user_id\":\"u\"}"), 0, req);
        var node = Json.MAPPER.readTree(new EnvelopeWriter().write(e));
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("event_id", "event_type", "user_id", "event_ts", "received_ts", "device_ts", "host",
                "user_agent", "accept", "headers", "browser_family", "os_family", "device_family", "attributes",
                "schema_version");
        assertThat(node.get("schema_version").intValue()).isEqualTo(1);
        assertThat(node.get("event_ts").isIntegralNumber()).isTrue();
    }
}
