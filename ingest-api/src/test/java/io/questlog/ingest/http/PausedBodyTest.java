package io.questlog.ingest.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The minimum data rate is for trickling clients, not for a small body split across packets: Jetty's own
 * check (no grace, averaged from the body's first byte) answered this 408, and under load any small body
 * read 33 ms after its first byte.
 */
class PausedBodyTest {
    @Test
    void aSmallBodySplitByAShortPauseIsAccepted() throws Exception {
        try (TestServer server = new TestServer(Map.of())) {
            String body = "{\"event_type\":\"a\",\"user_id\":\"u\"}";
            String head = "POST /events HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n";
            RawHttp.Response r = RawHttp.exchangeInParts(server.app.port(), List.of(
                    (head + body.substring(0, 10)).getBytes(StandardCharsets.UTF_8),
                    body.substring(10).getBytes(StandardCharsets.UTF_8)), 300);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(server.sink.received()).hasSize(1);
        }
    }
}
