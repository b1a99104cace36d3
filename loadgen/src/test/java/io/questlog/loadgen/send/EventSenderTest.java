package io.questlog.loadgen.send;

import io.questlog.loadgen.manifest.Manifest;
import io.questlog.loadgen.simulate.UserEvent;
import io.questlog.loadgen.simulate.UserSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EventSenderTest {
    private static final long NOW = 1_718_000_000_000L;

    private static EventSender.Options fast(int senders, int maxAttempts) {
        return new EventSender.Options(senders, maxAttempts, Duration.ofMillis(10), Duration.ofMillis(50),
                Duration.ofSeconds(10), Duration.ZERO);
    }

    private static List<UserEvent> events(int users) {
        return UserSimulator.simulate(new UserSimulator.Spec(users, Duration.ofHours(1), Duration.ofMinutes(30), 4), NOW);
    }

    @Test
    void a503IsRetriedWithTheSameEventIdsAndTheManifestHoldsEachEventOnce(@TempDir Path dir) throws Exception {
        List<UserEvent> events = events(20);
        Path manifest = dir.resolve("accepted.ndjson");
        SendTotals totals;
        try (FakeIngest server = new FakeIngest(1, 503); Manifest.Writer w = new Manifest.Writer(manifest)) {
            totals = new EventSender(server.url(), fast(1, 5), w::write, new PrintStream(new ByteArrayOutputStream()))
                    .send(Batch.plan(events, 50));

            FakeIngest.Seen refused = server.requests.get(0);
            FakeIngest.Seen retry = server.requests.get(1);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(retry.status()).isEqualTo(200);
            assertThat(retry.eventIds()).isEqualTo(refused.eventIds()).isNotEmpty();
            assertThat(retry.events()).isEqualTo(refused.events());
            assertThat(server.requests.stream().filter(s -> s.status() == 200).flatMap(s -> s.eventIds().stream()))
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(events.stream().map(UserEvent::eventId).toList());
        }
        assertThat(totals.accepted()).isEqualTo(events.size());
        assertThat(totals.rejected()).isZero();
        assertThat(totals.retriedRequests()).isEqualTo(1);
        List<UserEvent> written = Manifest.read(manifest);
        assertThat(written).hasSize(events.size()).containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void concurrentSendersDeliverEverythingOnceWithTheRightHeadersAndBody() throws Exception {
        List<UserEvent> events = events(60);
        List<UserEvent> accepted = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (FakeIngest server = new FakeIngest(3, 503)) {
            SendTotals totals = new EventSender(server.url(), fast(4, 5), accepted::addAll,
                    new PrintStream(new ByteArrayOutputStream())).send(Batch.plan(events, 100));
            assertThat(totals.accepted()).isEqualTo(events.size());
            assertThat(totals.retriedRequests()).isEqualTo(3);
            assertThat(totals.sent()).isEqualTo(events.size() + totals.retriedEvents());

            Map<String, UserEvent> byId = events.stream().collect(Collectors.toMap(UserEvent::eventId, e -> e));
            assertThat(server.requests).allSatisfy(s -> {
                assertThat(s.contentType()).isEqualTo("application/x-ndjson");
                assertThat(s.events()).allSatisfy(n -> {
                    UserEvent e = byId.get(n.path("event_id").asText());
                    assertThat(s.userAgent()).isEqualTo(e.userAgent());
                    assertThat(n.path("anonymous_id").asText()).isEqualTo(e.userId());
                    assertThat(n.path("device_sent_timestamp").asLong()).isEqualTo(e.eventTs());
                    assertThat(n.path("event_type").asText()).isEqualTo(e.eventType());
                    e.attributes().forEach((k, v) -> assertThat(n.path(k).asText()).isEqualTo(v));
                });
            });
        }
        assertThat(accepted).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(events);
    }

    @Test
    void aClientErrorIsNotRetriedAndCountsAsRejected() throws Exception {
        List<UserEvent> events = events(5);
        List<UserEvent> accepted = new java.util.ArrayList<>();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (FakeIngest server = new FakeIngest(1, 400)) {
            List<Batch> batches = Batch.plan(events, 1_000);
            SendTotals totals = new EventSender(server.url(), fast(1, 5), accepted::addAll, new PrintStream(log, true))
                    .send(batches);
            assertThat(totals.retriedRequests()).isZero();
            assertThat(totals.rejected()).isEqualTo(batches.get(0).events().size());
            assertThat(totals.accepted() + totals.rejected()).isEqualTo(events.size());
            assertThat(server.requests).hasSize(batches.size());
        }
        assertThat(log.toString()).contains("HTTP 400");
        assertThat(accepted).hasSize(events.size() - Batch.plan(events, 1_000).get(0).events().size());
    }

    @Test
    void connectionErrorsAreRetriedThenGivenUp() throws Exception {
        URI nobody;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            nobody = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<UserEvent> events = events(2);
        SendTotals totals = new EventSender(nobody, fast(2, 3), e -> { }, new PrintStream(log, true))
                .send(Batch.plan(events, 1_000));
        int requests = Batch.plan(events, 1_000).size();
        assertThat(totals.accepted()).isZero();
        assertThat(totals.rejected()).isEqualTo(events.size());
        assertThat(totals.retriedRequests()).isEqualTo(2L * requests);
        assertThat(log.toString()).contains("gave up", "is ingest-api up at");
    }

    @Test
    void batchesShareOneUserAgentRespectTheSizeAndKeepTimeOrder() {
        List<UserEvent> events = events(80);
        List<Batch> batches = Batch.plan(events, 100);
        assertThat(batches).allSatisfy(b -> {
            assertThat(b.events()).isNotEmpty().hasSizeLessThanOrEqualTo(100);
            assertThat(b.events()).allSatisfy(e -> assertThat(e.userAgent()).isEqualTo(b.userAgent()));
        });
        assertThat(batches.stream().flatMap(b -> b.events().stream()))
                .containsExactlyInAnyOrderElementsOf(events);
        // sent in list order, the batches walk through time in slices of 100 events
        List<Long> flat = batches.stream().flatMap(b -> b.events().stream()).map(UserEvent::eventTs).toList();
        for (int from = 100; from < flat.size(); from += 100) {
            long maxBefore = flat.subList(from - 100, from).stream().mapToLong(Long::longValue).max().orElseThrow();
            long minAfter = flat.subList(from, Math.min(flat.size(), from + 100)).stream().mapToLong(Long::longValue).min().orElseThrow();
            assertThat(maxBefore).isLessThanOrEqualTo(minAfter);
        }
        Set<String> agents = batches.stream().map(Batch::userAgent).collect(Collectors.toSet());
        assertThat(agents.size()).isGreaterThan(3);
    }
}
