package io.questlog.stack.local;

import io.questlog.contract.ProgressLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** `status` on the stream-writer's progress line: up only after a recent batch or an idle heartbeat with no lag. */
class StreamWriterHealthTest {
    static final Instant STARTED = Instant.parse("2026-01-10T12:00:00Z");
    static final Instant NOW = Instant.parse("2026-01-10T12:10:00Z");
    static final Duration FRESH = Duration.ofSeconds(60);

    static StreamWriterHealth.Status at(String line) {
        return StreamWriterHealth.classify(line, STARTED, NOW, FRESH);
    }

    @Test
    void freshnessIsThreeTriggersAndAtLeastAMinute() {
        assertThat(StreamWriterHealth.freshness("10 seconds")).isEqualTo(Duration.ofSeconds(60));
        assertThat(StreamWriterHealth.freshness("30 seconds")).isEqualTo(Duration.ofSeconds(90));
        assertThat(StreamWriterHealth.freshness("2 minutes")).isEqualTo(Duration.ofMinutes(6));
        assertThat(StreamWriterHealth.freshness("nonsense")).isEqualTo(Duration.ofSeconds(60)); // the 10 s default
    }

    @Test
    void recentBatchIsUp() {
        var s = at("2026-01-10T12:09:48.123Z [questlog] query=tables batch=17 rows_in=1200 events=1200 bad_rows=0 late=0"
                + " watermark=- duration_ms=840 kafka_lag=0");
        assertThat(s.state()).isEqualTo("up");
        assertThat(s.detail()).isEqualTo("last batch 11 s ago: query=tables batch=17 rows_in=1200 events=1200 bad_rows=0 late=0"
                + " watermark=- duration_ms=840 kafka_lag=0");
        assertThat(s.up()).isTrue();
    }

    @Test
    void idleWithoutLagIsUpWithLagIsNot() {
        assertThat(at("2026-01-10T12:09:55Z [questlog] idle lag=0")).isEqualTo(new StreamWriterHealth.Status("up", "idle, no lag (5 s ago)"));
        var lagging = at("2026-01-10T12:09:55Z [questlog] idle lag=40");
        assertThat(lagging.state()).isEqualTo("stalled");
        assertThat(lagging.detail()).isEqualTo("idle with lag=40 (5 s ago)");
    }

    @Test
    void waitingAndRetryingShowTheirText() {
        assertThat(at("2026-01-10T12:09:58Z [questlog] waiting for Trino at 127.0.0.1:8080: 42 s (Connection refused)"))
                .isEqualTo(new StreamWriterHealth.Status("waiting", "waiting for Trino at 127.0.0.1:8080: 42 s"));
        assertThat(at("2026-01-10T12:09:58Z [questlog] retrying batch 18: HiveServer2 closed the connection"))
                .isEqualTo(new StreamWriterHealth.Status("waiting", "retrying batch 18: HiveServer2 closed the connection"));
    }

    @Test
    void aLineOlderThanTheLimitIsStalledWhateverItSays() {
        assertThat(at("2026-01-10T12:08:59Z [questlog] query=tables batch=17 rows_in=5 duration_ms=9"))
                .isEqualTo(new StreamWriterHealth.Status("stalled",
                        "no progress for 61 s (limit 60 s); last: query=tables batch=17 rows_in=5 duration_ms=9"));
        assertThat(at("2026-01-10T12:05:00Z [questlog] waiting for Kafka at 127.0.0.1:9092: 10 s (x)").state()).isEqualTo("stalled");
        assertThat(at("2026-01-10T12:09:00Z [questlog] idle lag=0").state()).isEqualTo("up"); // exactly the limit: still fresh
    }

    @Test
    void noLineOrOneFromAnEarlierRunIsStarting() {
        var none = new StreamWriterHealth.Status("starting", "no progress line yet");
        assertThat(at(null)).isEqualTo(none);
        assertThat(at("")).isEqualTo(none);
        assertThat(at("2026-01-10T11:59:59Z [questlog] query=tables batch=3 rows_in=5 duration_ms=9")).isEqualTo(none);
        assertThat(at("[questlog] removing an old state")).isEqualTo(none);
    }

    @Test
    void onlyAnIdleLineWithZeroLagCountsAsCaughtUp() {
        assertThat(ProgressLine.parse("2026-01-10T12:09:55Z [questlog] idle lag=0").filter(ProgressLine::idleNoLag)).isPresent();
        assertThat(ProgressLine.parse("2026-01-10T12:09:55Z [questlog] idle lag=3").filter(ProgressLine::idleNoLag)).isEmpty();
        assertThat(ProgressLine.parse("2026-01-10T12:09:55Z [questlog] query=tables batch=1 rows_in=0 duration_ms=1")
                .map(ProgressLine::kind)).contains(ProgressLine.Kind.BATCH);
    }
}
