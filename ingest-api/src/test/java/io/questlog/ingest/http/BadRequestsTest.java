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
    void isRefusedWithAJsonErrorCountedAndNothingProduced(BadRequestCorpus.Case bad) throws Exception {
        double before = requestsWithStatus(bad.status());
        RawHttp.Response r = RawHttp.exchange(server.app.port(), bad.request(), bad.halfClose());
        BadRequestCorpus.assertRefused(bad, r);
        assertThat(server.sink.received()).isEmpty();
        // counted once in questlog_ingest_requests_total, Jetty's own refusals too (the count may trail the answer)
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (requestsWithStatus(bad.status()) == before && System.nanoTime() < deadline) Thread.sleep(10);
        assertThat(requestsWithStatus(bad.status())).isEqualTo(before + 1);
    }

    private static double requestsWithStatus(int status) throws Exception {
        String mark = "status=\"" + status + "\"";
        return server.get("/metrics").body().lines()
                .filter(l -> l.startsWith("questlog_ingest_requests_total{") && l.contains(mark))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
