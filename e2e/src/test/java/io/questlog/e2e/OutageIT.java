package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.Supervisor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The faults real games and networks produce, on the real stack: a device clock far ahead of everyone's,
 * clients that reuse event ids, Trino and the HDFS NameNode down for a while. Runs in its own Failsafe
 * execution with a 20-second session gap and a 5-second watermark (e2e/pom.xml), so the sessions of live
 * users, sending with correct clocks in real time, close within the test.
 */
@TestMethodOrder(OrderAnnotation.class)
class OutageIT {

    final StackConfig c = E2eStack.config();
    final Supervisor sup = E2eStack.supervisor();
    final Trino trino = E2eStack.trino();

    @BeforeAll
    static void up() throws Exception {
        E2eStack.up();
    }

    @AfterAll
    static void down() throws Exception {
        E2eStack.down();
    }

    @Test
    @Order(1)
    void aDeviceClockFortyMinutesFastLeavesLiveUsersOnTimeAndTheirSessionsExact() throws Exception {
        long now = System.currentTimeMillis();
        long ahead = now + Duration.ofMinutes(40).toMillis();
        // one phone 40 minutes fast, sending no sent_at: kept with its own time, but it may not move the watermark
        post("{\"event_type\":\"default\",\"user_id\":\"fast-phone\",\"device_sent_timestamp\":" + ahead + "}");
        // the same clock with the request's sent_at: its time is corrected by received_ts - sent_at
        post("{\"event_type\":\"default\",\"user_id\":\"skewed-phone\",\"device_sent_timestamp\":" + ahead
                + ",\"sent_at\":" + (ahead + 1000) + "}");
        for (int i = 0; i < 3; i++) {
            post(live("alice"));
            if (i < 2) post(live("bob"));
            Thread.sleep(2000);
        }
        // live traffic moves the watermark on: alice's and bob's sessions close 20 s (gap) + 5 s (watermark) after them
        long tickUntil = System.currentTimeMillis() + 40_000;
        while (System.currentTimeMillis() < tickUntil) {
            post(live("ticker"));
            Thread.sleep(2000);
        }
        E2eStack.awaitCount("SELECT count(*) FROM sessions WHERE user_id IN ('alice', 'bob')", 2, Duration.ofMinutes(2));
        assertThat(rows("SELECT user_id, event_count FROM sessions WHERE user_id IN ('alice', 'bob') ORDER BY 1"))
                .containsExactly(List.of("alice", "3"), List.of("bob", "2"));
        assertThat(trino.count("SELECT count(*) FROM bad_events WHERE error = 'late'")).isZero();

        List<String> fast = rows("SELECT to_unixtime(event_ts) * 1000, to_unixtime(device_ts) * 1000 FROM events"
                + " WHERE user_id = 'fast-phone'").get(0);
        assertThat(Math.round(Double.parseDouble(fast.get(0)))).isEqualTo(ahead); // stored with the time it gave
        List<String> skewed = rows("SELECT to_unixtime(event_ts) * 1000, to_unixtime(received_ts) * 1000,"
                + " to_unixtime(device_ts) * 1000 FROM events WHERE user_id = 'skewed-phone'").get(0);
        assertThat(Math.abs(Double.parseDouble(skewed.get(0)) - Double.parseDouble(skewed.get(1)))).isLessThan(5_000);
        assertThat(Math.round(Double.parseDouble(skewed.get(2)))).isEqualTo(ahead); // the device's raw time kept
    }

    @Test
    @Order(2)
    void usersWhoNumberTheirEventsAlikeKeepEveryEventAndARetryIsOneRow() throws Exception {
        for (int u = 0; u < 8; u++) post("{\"event_type\":\"default\",\"user_id\":\"counter-" + u + "\",\"event_id\":\"1\"}");
        post("{\"event_type\":\"default\",\"user_id\":\"counter-3\",\"event_id\":\"1\"}"); // a retry
        // ab-style clients: the idempotency key as a header or a query parameter, each request sent twice
        for (int i = 0; i < 2; i++) {
            get("/purchase_a_sword?user_id=ab-user", "Idempotency-Key", "sword-1");
            get("/purchase_a_sword?user_id=ab-user&event_id=sword-2", "X-Request-Id", "r" + i);
        }
        E2eStack.awaitCount("SELECT count(*) FROM events WHERE user_id LIKE 'counter-%' AND event_id = '1'", 8,
                Duration.ofMinutes(2));
        E2eStack.awaitCount("SELECT count(*) FROM sword_purchases WHERE user_id = 'ab-user'", 2, Duration.ofMinutes(1));
        Thread.sleep(2 * 3000); // two more triggers: a repeat published late would show now
        assertThat(trino.count("SELECT count(*) FROM events WHERE user_id LIKE 'counter-%'")).isEqualTo(8);
        assertThat(trino.count("SELECT count(*) FROM events WHERE user_id = 'ab-user'")).isEqualTo(2);
    }

    @Test
    @Order(3)
    void trinoDownWhileANewDayArrivesHoldsTheWriterUpUntilItReturns() throws Exception {
        Part trinoPart = E2eStack.part("trino");
        sup.down(List.of(trinoPart));
        long threeDaysAgo = System.currentTimeMillis() - Duration.ofDays(3).toMillis();
        post("{\"event_type\":\"default\",\"user_id\":\"trino-0\",\"device_sent_timestamp\":" + threeDaysAgo + "}");
        for (int i = 1; i <= 5; i++) post(live("trino-" + i));
        awaitProgress("waiting for Trino at ", Duration.ofMinutes(2));
        Thread.sleep(40_000); // down for minutes, as far as the writer can tell
        assertThat(sup.running(E2eStack.part("stream-writer"))).as("the stream-writer must not exit").isPresent();
        sup.up(List.of(trinoPart));
        awaitCount("SELECT count(*) FROM events WHERE user_id LIKE 'trino-%'", 6, Duration.ofMinutes(3));
        assertThat(trino.count("SELECT count(*) FROM events WHERE user_id = 'trino-0' AND dt = '"
                + java.time.Instant.ofEpochMilli(threeDaysAgo).toString().substring(0, 10) + "'")).isEqualTo(1);
    }

    @Test
    @Order(4)
    void theNameNodeDownHoldsTheWriterUpUntilItReturns() throws Exception {
        Part namenode = E2eStack.part("namenode");
        sup.down(List.of(namenode));
        for (int i = 0; i < 5; i++) post(live("hdfs-" + i));
        awaitProgress("waiting for the HDFS NameNode at ", Duration.ofMinutes(4));
        Thread.sleep(30_000);
        assertThat(sup.running(E2eStack.part("stream-writer"))).as("the stream-writer must not exit").isPresent();
        sup.up(List.of(namenode));
        awaitCount("SELECT count(*) FROM events WHERE user_id LIKE 'hdfs-%'", 5, Duration.ofMinutes(4));
        // nothing before the outage doubled by the replays
        assertThat(trino.count("SELECT count(*) FROM events WHERE user_id LIKE 'trino-%'")).isEqualTo(6);
        assertThat(trino.count("SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT user_id, event_id FROM events)) FROM events")).isZero();
    }

    /** The rows of a query, without its header. */
    List<List<String>> rows(String sql) {
        List<List<String>> all = trino.query(sql);
        return all.subList(1, all.size());
    }

    void awaitCount(String sql, long expected, Duration timeout) {
        E2eStack.awaitCountThroughErrors(sql, expected, timeout);
    }

    static String live(String user) {
        return "{\"event_type\":\"default\",\"user_id\":\"" + user + "\",\"device_sent_timestamp\":"
                + System.currentTimeMillis() + "}";
    }

    void awaitProgress(String text, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> assertThat(Files.readString(c.progressFile("stream-writer"))).contains(text));
    }

    void post(String... events) throws Exception {
        E2eStack.postEvents(List.of(events));
    }

    void get(String pathAndQuery, String header, String value) throws Exception {
        E2eStack.get(pathAndQuery, header, value);
    }
}
