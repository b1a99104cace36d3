package io.questlog.ingest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.questlog.ingest.event.Json;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker stops and comes back while clients keep sending batches: every event answered 200 is in
 * the topic afterwards (nothing acknowledged is lost), and every other answer is a 503 with
 * Retry-After that claims nothing (nothing unacknowledged is claimed). Waits on counts, never on time.
 */
class BrokerRestartIT {
    static final String TOPIC = "events";
    static final int CLIENTS = 4;
    static final int BATCH = 5;

    static EmbeddedKafka kafka;
    static ApiOnKafka api;
    static Javalin app;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final Set<String> acked = ConcurrentHashMap.newKeySet();
    final Set<String> refused = ConcurrentHashMap.newKeySet();
    final AtomicInteger refusals = new AtomicInteger();
    final List<String> problems = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        api = ApiOnKafka.start(TOPIC, "1 second");
        kafka = api.kafka();
        app = api.app();
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) api.close();
    }

    @Test
    void aBrokerRestartUnderLoadLosesNothingAcknowledgedAndClaimsNothingElse() throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> {
                for (int seq = 0; running.get(); seq++) send(client, seq);
            }, "load-" + c);
            t.start();
            clients.add(t);
        }
        try {
            await("acknowledged before the stop").atMost(Duration.ofMinutes(2)).until(() -> acked.size() >= 500);
            kafka.stop();
            await("refusals while the broker is down").atMost(Duration.ofMinutes(2)).until(() -> refusals.get() >= 2 * CLIENTS);
            int ackedBeforeRestart = acked.size();
            kafka.start();
            await("acknowledged after the restart").atMost(Duration.ofMinutes(2)).until(() -> acked.size() >= ackedBeforeRestart + 500);
        } finally {
            running.set(false);
            for (Thread t : clients) t.join();
        }
        synchronized (problems) {
            assertThat(problems).isEmpty();
        }

        Map<String, Integer> inTopic = consumeAll();
        assertThat(inTopic.keySet()).as("every acknowledged event is in the topic").containsAll(acked);
        assertThat(acked).doesNotContainAnyElementsOf(refused);
        long ackedDuplicates = acked.stream().filter(id -> inTopic.get(id) > 1).count();
        long refusedButWritten = refused.stream().filter(inTopic::containsKey).count();
        System.out.printf("broker restart: %d events acknowledged (%d written twice), %d refused with 503 (%d of them written anyway, "
                + "which a client retry with the same event_id makes harmless)%n", acked.size(), ackedDuplicates, refused.size(), refusedButWritten);
        assertThat(inTopic.keySet()).as("nothing in the topic that was never sent").allMatch(id -> acked.contains(id) || refused.contains(id));
    }

    private void send(int client, int seq) {
        List<String> ids = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < BATCH; i++) {
            String id = "c" + client + "-" + seq + "-" + i;
            ids.add(id);
            body.append("{\"event_type\":\"restart_load\",\"user_id\":\"user-").append(client).append('-').append(i)
                    .append("\",\"event_id\":\"").append(id).append("\"}\n");
        }
        HttpResponse<String> r;
        try {
            r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + "/events"))
                    .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/x-ndjson")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            problem("request " + ids.get(0) + " failed on the client side: " + e);
            return;
        }
        try {
            JsonNode answer = Json.MAPPER.readTree(r.body());
            if (r.statusCode() == 200) {
                List<String> answered = new ArrayList<>();
                answer.get("event_ids").forEach(n -> answered.add(n.textValue()));
                if (!answered.equals(ids)) problem("200 for " + ids + " answered ids " + answered);
                acked.addAll(ids);
            } else if (r.statusCode() == 503) {
                if (r.headers().firstValue("Retry-After").isEmpty()) problem("503 without Retry-After: " + r.body());
                if (answer.has("accepted") || answer.has("event_ids")) problem("503 claims events: " + r.body());
                if (!answer.path("reason").asText().equals("kafka_unavailable")) problem("unexpected 503 reason: " + r.body());
                refused.addAll(ids);
                refusals.incrementAndGet();
            } else {
                problem("unexpected " + r.statusCode() + ": " + r.body());
            }
        } catch (Exception e) {
            problem("unreadable answer " + r.statusCode() + ": " + r.body());
        }
    }

    private void problem(String p) {
        synchronized (problems) {
            if (problems.size() < 20) problems.add(p);
        }
    }

    /** event_id -> how many times it is in the topic. */
    private static Map<String, Integer> consumeAll() {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(TOPIC).forEach(p -> parts.add(new TopicPartition(TOPIC, p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            await().atMost(Duration.ofMinutes(1)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    counts.merge(Json.MAPPER.readTree(r.value()).get("event_id").textValue(), 1, Integer::sum);
                }
                return parts.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return counts;
    }
}
