package io.questlog.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.ingest.event.Envelope;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Behind HAProxy (`up --cluster`) every request carries a unique X-Request-Id that the balancer sets and keeps when
 * it retries the request on another instance: the event_ids minted from it are the same for both copies, so the
 * stream-writer's (user_id, event_id) de-duplication drops the retried one.
 */
class TrustedRequestIdTest {
    static final String BATCH = "[{\"event_type\":\"a\",\"user_id\":\"u1\"},{\"event_type\":\"b\",\"user_id\":\"u1\"},"
            + "{\"event_type\":\"c\",\"user_id\":\"u1\",\"event_id\":\"own-id\"}]";

    @Test
    void aRetriedRequestMintsTheSameEventIds() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_TRUSTED_REQUEST_ID_HEADER", "X-Request-Id"))) {
            for (int copy = 0; copy < 2; copy++) { // the first instance's copy, then HAProxy's retry on the other
                assertThat(server.post("/purchase_a_sword", "text/plain", "", "X-Request-Id", "7F000001-C350-6752F0A0-1F4-2A-1F")
                        .statusCode()).isEqualTo(200);
                assertThat(server.post("/events", "application/json", BATCH, "X-Request-Id", "7F000001-C351-6752F0A0-1F5-2B-1F")
                        .statusCode()).isEqualTo(200);
            }
            var ids = server.sink.received().stream().map(Envelope::eventId).toList();
            assertThat(ids).containsExactly(
                    "rid-7F000001-C350-6752F0A0-1F4-2A-1F",
                    "rid-7F000001-C351-6752F0A0-1F5-2B-1F-0", "rid-7F000001-C351-6752F0A0-1F5-2B-1F-1", "own-id",
                    "rid-7F000001-C350-6752F0A0-1F4-2A-1F",
                    "rid-7F000001-C351-6752F0A0-1F5-2B-1F-0", "rid-7F000001-C351-6752F0A0-1F5-2B-1F-1", "own-id");
        }
    }

    @Test
    void offByDefaultAndAClientsOwnKeyStillWins() throws Exception {
        try (TestServer server = new TestServer()) {
            server.post("/purchase_a_sword", "text/plain", "", "X-Request-Id", "forged-by-a-client");
            assertThat(server.sink.received().get(0).eventId()).matches("[0-9a-f-]{36}");
        }
        try (TestServer server = new TestServer(Map.of("QUESTLOG_TRUSTED_REQUEST_ID_HEADER", "X-Request-Id"))) {
            server.post("/join_a_guild", "text/plain", "", "X-Request-Id", "r-1", "Idempotency-Key", "client-key");
            server.post("/join_a_guild", "text/plain", "", "X-Request-Id", "not a valid id!");
            var got = server.sink.received();
            assertThat(got.get(0).eventId()).isEqualTo("client-key");
            assertThat(got.get(1).eventId()).matches("[0-9a-f-]{36}"); // not a valid event_id: a random one
        }
    }
}
