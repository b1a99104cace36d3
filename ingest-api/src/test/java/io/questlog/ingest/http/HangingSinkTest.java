package io.questlog.ingest.http;

import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HangingSinkTest {
    @Test
    void aSinkThatNeverAcknowledgesEndsIn503() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_DELIVERY_TIMEOUT", "1 second",
                "QUESTLOG_KAFKA_MAX_BLOCK", "1 ms", "QUESTLOG_KAFKA_LINGER", "0 ms", "QUESTLOG_INGEST_RETRY_AFTER", "7 seconds"))) {
            server.sink.mode(RecordingSink.Mode.HANG);
            HttpResponse<String> r = server.post("/events", "application/json", "{\"event_type\":\"a\",\"user_id\":\"u\"}");
            assertThat(r.statusCode()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).contains("7");
            assertThat(TestServer.json(r).get("error").textValue()).contains("no acknowledgement");
        }
    }
}
