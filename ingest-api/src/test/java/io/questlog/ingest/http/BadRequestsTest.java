package io.questlog.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.questlog.ingest.event.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every request of the {@link BadRequestCorpus} answers its JSON error and leaves the sink untouched. */
class BadRequestsTest {
    static TestServer server;

    static List<BadRequestCorpus.Case> badRequests() {
        return BadRequestCorpus.cases();
    }

    @BeforeAll
    static void start() {
        server = new TestServer(BadRequestCorpus.ENV);
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
    void theCorpusHoldsAtLeastFortyRequests() {
        assertThat(BadRequestCorpus.cases()).hasSizeGreaterThanOrEqualTo(40);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void isRefusedWithAJsonErrorAndNothingProduced(BadRequestCorpus.Case bad) throws Exception {
        RawHttp.Response r = RawHttp.exchange(server.app.port(), bad.request(), bad.halfClose());
        assertRefused(bad, r);
        assertThat(server.sink.received()).isEmpty();
    }

    /** Status, JSON content type, reason code, message, and index/field exactly as the case says. */
    static void assertRefused(BadRequestCorpus.Case bad, RawHttp.Response r) throws Exception {
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
    }
}
