package io.questlog.loadgen.sessions;

import io.questlog.loadgen.manifest.Manifest;
import io.questlog.loadgen.simulate.UserEvent;
import io.questlog.loadgen.simulate.UserSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ExpectedSessionsTest {
    private static final Duration GAP = Duration.ofMinutes(30);
    private static final long T0 = 1_718_000_000_000L;
    private static final long MIN = 60_000L;

    private static UserEvent ev(String user, long ts, String type) {
        return new UserEvent(user + "-" + ts + "-" + type, type, user, ts, "ua", "Chrome", "Windows", "Other", Map.of());
    }

    @Test
    void aPauseOfExactlyTheGapKeepsTheSession() {
        List<ExpectedSession> s = ExpectedSessions.compute(List.of(ev("u", T0, "page_view"), ev("u", T0 + 30 * MIN, "page_view")), GAP);
        assertThat(s).hasSize(1);
        assertThat(s.get(0).eventCount()).isEqualTo(2);
        assertThat(s.get(0).durationMs()).isEqualTo(30 * MIN);
        assertThat(s.get(0).durationSeconds()).isEqualTo(1800);
    }

    @Test
    void oneMillisecondMoreThanTheGapStartsANewSession() {
        List<ExpectedSession> s = ExpectedSessions.compute(List.of(ev("u", T0, "page_view"), ev("u", T0 + 30 * MIN + 1, "page_view")), GAP);
        assertThat(s).extracting(ExpectedSession::sessionStart).containsExactly(T0, T0 + 30 * MIN + 1);
        assertThat(s).allSatisfy(x -> assertThat(x.durationMs()).isZero());
    }

    @Test
    void sessionsArePerUserRegardlessOfInputOrderWithCounts() {
        List<UserEvent> in = List.of(
                ev("b", T0 + 5 * MIN, "join_guild"),
                ev("a", T0 + 90 * MIN, "page_view"),
                ev("a", T0, "page_view"),
                ev("b", T0, "purchase_sword"),
                ev("a", T0 + 10 * MIN, "purchase_sword"),
                ev("a", T0 + 20 * MIN, "purchase_sword"));
        List<ExpectedSession> s = ExpectedSessions.compute(in, GAP);
        assertThat(s).containsExactly(
                new ExpectedSession("a", T0, T0 + 20 * MIN, 3, 2, 0, "Chrome", "Windows", "Other"),
                new ExpectedSession("a", T0 + 90 * MIN, T0 + 90 * MIN, 1, 0, 0, "Chrome", "Windows", "Other"),
                new ExpectedSession("b", T0, T0 + 5 * MIN, 2, 1, 1, "Chrome", "Windows", "Other"));
    }

    @Test
    void familiesComeFromTheFirstEvent() {
        UserEvent first = new UserEvent("1", "page_view", "u", T0, "ua1", "Safari", "Mac OS X", "Mac", Map.of());
        UserEvent second = new UserEvent("2", "page_view", "u", T0 + MIN, "ua2", "Chrome", "Windows", "Other", Map.of());
        assertThat(ExpectedSessions.compute(List.of(second, first), GAP))
                .singleElement().extracting(ExpectedSession::browserFamily).isEqualTo("Safari");
    }

    @Test
    void simulatedUsersHaveSeveralSessionsAndTheManifestRoundTrips(@TempDir Path dir) throws IOException {
        List<UserEvent> events = UserSimulator.simulate(new UserSimulator.Spec(100, Duration.ofHours(3), GAP, 9), T0);
        Path file = dir.resolve("m.ndjson");
        try (Manifest.Writer w = new Manifest.Writer(file)) {
            w.write(events);
        }
        assertThat(Manifest.read(file)).containsExactlyElementsOf(events);
        List<ExpectedSession> sessions = ExpectedSessions.fromManifest(file, GAP);
        assertThat(sessions.stream().mapToInt(ExpectedSession::eventCount).sum()).isEqualTo(events.size());
        assertThat(sessions.size()).isGreaterThan(150);   // ~100 users, several sessions each over 3 h
        assertThat(sessions).allSatisfy(x -> assertThat(x.sessionEnd()).isGreaterThanOrEqualTo(x.sessionStart()));
    }
}
