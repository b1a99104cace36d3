package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * `./questlog compact` on a partition of many small files while Trino counts it in a loop: every
 * count sees every row exactly once, the partition ends up in one file, and the stream-writer keeps
 * publishing into the partition's new place; and `./questlog sessions --batch` over a compacted partition.
 */
class CompactionIT {
    static StackConfig c;
    static Trino trino;
    static final String DT = LocalDate.now(ZoneOffset.UTC).minusDays(3).toString();
    static final long NOON = LocalDate.parse(DT).atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();

    @BeforeAll
    static void up() throws Exception {
        E2eStack.up();
        c = E2eStack.config();
        trino = E2eStack.trino();
    }

    @AfterAll
    static void down() throws Exception {
        E2eStack.down();
    }

    @Test
    void aConcurrentCountNeverSeesRowsMissingOrDoubledWhileAPartitionIsCompacted() throws Exception {
        String count = "SELECT count(*) FROM events WHERE dt = '" + DT + "'";
        String files = "SELECT count(DISTINCT \"$path\") FROM events WHERE dt = '" + DT + "'";
        for (int i = 0; i < 10; i++) { // one request per micro-batch: ten batches of small files
            post(i, 30);
            E2eStack.awaitCount(count, 30L * (i + 1), Duration.ofMinutes(2));
        }
        long filesBefore = trino.count(files);
        assertThat(filesBefore).isGreaterThanOrEqualTo(5);

        List<Long> seen = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean counting = new AtomicBoolean(true);
        Thread counter = new Thread(() -> {
            while (counting.get()) seen.add(trino.count(count));
        });
        counter.start();
        int rc = compact(DT);
        Thread.sleep(3000);
        counting.set(false);
        counter.join();

        System.out.println("compaction: " + filesBefore + " files before; " + seen.size() + " concurrent counts: "
                + seen.stream().distinct().toList());
        assertThat(rc).as("questlog compact exit code").isZero();
        assertThat(seen).hasSizeGreaterThan(5).containsOnly(300L);
        assertThat(trino.count(files)).isEqualTo(1);
        assertThat(trino.query("SELECT DISTINCT \"$path\" FROM events WHERE dt = '" + DT + "'").get(1).get(0))
                .contains("/events/_compacted/dt=" + DT + "/g");

        post(10, 30); // the writer now publishes where the partition lives
        E2eStack.awaitCount(count, 330, Duration.ofMinutes(2));
        List<List<String>> paths = trino.query("SELECT DISTINCT \"$path\" FROM events WHERE dt = '" + DT + "'");
        assertThat(paths.subList(1, paths.size())).as("the merged file and the new batch's files, all in the new folder")
                .hasSizeGreaterThan(1).allMatch(r -> r.get(0).contains("/events/_compacted/dt=" + DT + "/g"));
        assertThat(trino.count("SELECT count(*) - count(DISTINCT event_id) FROM events WHERE dt = '" + DT + "'")).isZero();
    }

    /**
     * `./questlog sessions --batch` after a compaction: the batch recompute reads the compacted partition where
     * readers find it now, and agrees with the streamed sessions. (In either test order: this test's events are
     * newer than the other test's, so neither makes the other's late.)
     */
    @Test
    void batchSessionsReadTheCompactedPartitionAndAgreeWithTheStream() throws Exception {
        String dt = LocalDate.now(ZoneOffset.UTC).minusDays(2).toString();
        long noon = LocalDate.parse(dt).atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        String count = "SELECT count(*) FROM events WHERE dt = '" + dt + "'";
        for (int i = 0; i < 3; i++) {
            post("ses-" + i, "ses-u", noon + i * 60_000L, 20);
            E2eStack.awaitCount(count, 20L * (i + 1), Duration.ofMinutes(2));
        }
        assertThat(compact(dt)).as("questlog compact exit code").isZero();
        // an event two hours later: the watermark passes the five users' sessions and the stream closes them
        post("ses-late", "ses-later", noon + 7_200_000L, 1);
        E2eStack.awaitCount("SELECT count(*) FROM sessions WHERE user_id LIKE 'ses-u%'", 5, Duration.ofMinutes(2));

        Process p = questlog("sessions", "--batch").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int rc = p.waitFor();
        System.out.println(out.lines().filter(l -> l.contains("sessions compared")).findFirst().orElse(out));
        assertThat(rc).as(out).isZero();
        var m = java.util.regex.Pattern.compile("matched=(\\d+) only-stream=0 only-batch=0").matcher(out);
        assertThat(m.find()).as(out).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThanOrEqualTo(5);
    }

    static int compact(String dt) throws Exception {
        ProcessBuilder pb = questlog("compact", "events", dt).inheritIO();
        pb.environment().put("QUESTLOG_COMPACT_PUBLISH_GRACE", "3 seconds");
        pb.environment().put("QUESTLOG_COMPACT_READ_GRACE", "8 seconds");
        return pb.start().waitFor();
    }

    static ProcessBuilder questlog(String... args) {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Duser.timezone=UTC", "-jar",
                c.root().resolve("stack/target/questlog-stack.jar").toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }

    static String java() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static void post(int request, int n) throws Exception {
        post("cmp-" + request, "cmp-u", NOON + request * 1000L, n);
    }

    /** {@code n} events ids {@code <idPrefix>-<j>}, users {@code <userPrefix><j % 5>}, at {@code ts} plus j ms. */
    static void post(String idPrefix, String userPrefix, long ts, int n) throws Exception {
        List<String> body = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            body.add("{\"event_id\":\"" + idPrefix + "-" + j + "\",\"event_type\":\"" + (j % 2 == 0 ? "purchase_sword" : "page_view")
                    + "\",\"anonymous_id\":\"" + userPrefix + j % 5 + "\",\"device_sent_timestamp\":" + (ts + j) + "}");
        }
        E2eStack.postEvents(body);
    }
}
