package io.questlog.ingest.http;

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
        BadRequestCorpus.assertRefused(bad, r);
        assertThat(server.sink.received()).isEmpty();
    }
}
