package io.questlog.ingest.http;

import io.questlog.ingest.event.Envelope;
import io.questlog.ingest.event.EnvelopeWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Credential-like headers, parameters and fields never reach the produced record; the client sees a plain 200. */
class SecretsTest {
    static final List<String> VALUES = List.of("QA-api-key-value", "QB-access-token-value", "QC-password-value",
            "QD-client-secret-value", "QE-forwarded-auth-value", "QF-nested-session-value", "QG-referer-token-value");
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
    }

    @Test
    void gameQueryParametersAndHeaders() throws Exception {
        HttpResponse<String> r = server.http.send(java.net.http.HttpRequest.newBuilder(server.uri(
                        "/purchase_a_sword?api_key=QA-api-key-value&access_token=QB-access-token-value&password=QC-password-value&sword=x"))
                .header("X-Client-Secret", "QD-client-secret-value")
                .header("X-Forwarded-Authorization", "Bearer QE-forwarded-auth-value")
                .header("Referer", "https://game.example/shop?token=QG-referer-token-value&tab=swords")
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        Envelope e = only();
        assertThat(e.attributes()).containsExactly(Map.entry("sword", "x"));
        assertThat(e.headers()).containsEntry("referer", "https://game.example/shop?tab=swords");
        assertNoSecretIn(e);
    }

    @Test
    void gameFormFields() throws Exception {
        HttpResponse<String> r = server.post("/purchase_a_sword", "application/x-www-form-urlencoded",
                "api_key=QA-api-key-value&access_token=QB-access-token-value&password=QC-password-value&sword=x"
                        + "&X-Client-Secret=QD-client-secret-value",
                "X-Forwarded-Authorization", "QE-forwarded-auth-value");
        assertThat(r.statusCode()).isEqualTo(200);
        Envelope e = only();
        assertThat(e.attributes()).containsExactly(Map.entry("sword", "x"));
        assertNoSecretIn(e);
    }

    @Test
    void gameJsonBodyFieldsAtAnyDepth() throws Exception {
        HttpResponse<String> r = server.post("/join_a_guild", "application/json", """
                {"api_key":"QA-api-key-value","Access-Token":"QB-access-token-value","sword":"x",
                 "profile":{"level":3,"session":{"id":"QF-nested-session-value"},"list":[{"password":"QC-password-value"}]}}""");
        assertThat(r.statusCode()).isEqualTo(200);
        Envelope e = only();
        assertThat(e.attributes()).containsOnlyKeys("sword", "profile");
        assertThat(e.attributes().get("profile")).isEqualTo("{\"level\":3,\"list\":[{}]}");
        assertNoSecretIn(e);
    }

    @Test
    void postEventsFieldsButNeverTheEnvelopesOwn() throws Exception {
        HttpResponse<String> r = server.post("/events", "application/json", """
                [{"event_type":"login","user_id":"u-1","event_id":"e-1","device_sent_timestamp":1700000000000,
                  "api_key":"QA-api-key-value","access_token":"QB-access-token-value","password":"QC-password-value",
                  "client.secret":"QD-client-secret-value","sword":"x","page":"https://g.example/?auth=QE-forwarded-auth-value"}]""",
                "X-Client-Secret", "QD-client-secret-value", "X-Forwarded-Authorization", "QE-forwarded-auth-value");
        assertThat(r.statusCode()).isEqualTo(200);
        Envelope e = only();
        assertThat(e.attributes()).containsExactly(Map.entry("page", "https://g.example/"), Map.entry("sword", "x"));
        assertThat(e.userId()).isEqualTo("u-1");
        assertThat(e.eventId()).isEqualTo("e-1");
        assertThat(e.eventTs()).isEqualTo(1700000000000L);
        assertNoSecretIn(e);

        String metrics = server.get("/metrics").body();
        assertThat(metrics).containsPattern("questlog_ingest_secrets_removed_total\\{where=\"attribute\"} [1-9]")
                .containsPattern("questlog_ingest_secrets_removed_total\\{where=\"header\"} [1-9]");
    }

    private static Envelope only() {
        assertThat(server.sink.received()).hasSize(1);
        return server.sink.received().get(0);
    }

    /** The record's bytes as the Kafka sink writes them. */
    private static void assertNoSecretIn(Envelope e) {
        String record = new String(new EnvelopeWriter().write(e), StandardCharsets.UTF_8);
        for (String v : VALUES) assertThat(record).doesNotContain(v);
        assertThat(record.toLowerCase()).doesNotContain("secret").doesNotContain("password").doesNotContain("token");
    }
}
