package io.questlog.ingest.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.questlog.contract.Env;
import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.event.Json;
import io.questlog.ingest.http.BadRequestCorpus;
import io.questlog.ingest.http.IngestApp;
import io.questlog.ingest.http.IngestMetrics;
import io.questlog.ingest.http.RawHttp;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ingest API against a real Kafka broker: what it acknowledges is in the topic, exactly. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KafkaIngestIT {
    static final String TOPIC = "events";
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/16.5 Mobile/15E148 Safari/604.1";

    static EmbeddedKafka kafka;
    static ApiOnKafka api;
    static Javalin app;
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception {
        api = ApiOnKafka.start(TOPIC, "4 seconds");
        kafka = api.kafka();
        app = api.app();
    }

    @AfterAll
    static void stop() throws Exception {
        if (api != null) api.close();
    }

    static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path));
    }

    @Test
    @Order(1)
    void healthSaysKafkaIsUp() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> r = send(request("/health").GET());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(Json.MAPPER.readTree(r.body()).get("kafka").textValue()).isEqualTo("up");
        });
    }

    @Test
    @Order(2)
    void acceptedEventsAreInTheTopicWithTheExactEnvelope() throws Exception {
        long before = System.currentTimeMillis();
        HttpResponse<String> events = send(request("/events")
                .header("Content-Type", "application/json")
                .header("User-Agent", IPHONE)
                .header("Authorization", "Bearer s3cret")
                .header("Cookie", "sid=abc")
                .header("X-Api-Key", "key-1")
                .header("X-Refresh-Token", "tok")
                .header("X-Game-Version", "2.0.1")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        [{"event_type":"level_up","user_id":"hero-1","event_id":"0b1c2d3e-0000-4000-8000-000000000001",
                          "device_sent_timestamp":1700000000000,"level":9,"class":{"name":"mage"}},
                         {"event_type":"quest_done","anonymous_id":"anon-7","browser_family":"QuestApp"}]""")));
        HttpResponse<String> sword = send(request("/purchase_a_sword?sword_type=katana&user_id=knight-3")
                .header("User-Agent", "ApacheBench/2.3").GET());
        long after = System.currentTimeMillis();

        assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
        assertThat(sword.statusCode()).isEqualTo(200);
        assertThat(sword.body()).isEqualTo("Sword Purchased!\n");
        JsonNode answer = Json.MAPPER.readTree(events.body());
        assertThat(answer.get("accepted").intValue()).isEqualTo(2);
        String firstId = answer.get("event_ids").get(0).textValue();
        String secondId = answer.get("event_ids").get(1).textValue();
        assertThat(firstId).isEqualTo("0b1c2d3e-0000-4000-8000-000000000001");

        Map<String, ConsumerRecord<String, byte[]>> byId = consumeAll(3);
        assertThat(byId).hasSize(3);

        String host = "127.0.0.1:" + app.port();
        ConsumerRecord<String, byte[]> r1 = byId.get(firstId);
        assertThat(r1.key()).isEqualTo("hero-1");
        JsonNode e1 = Json.MAPPER.readTree(r1.value());
        long received1 = e1.get("received_ts").longValue();
        assertThat(received1).isBetween(before, after);
        assertThat(e1).isEqualTo(Json.MAPPER.readTree("""
                {"event_id":"0b1c2d3e-0000-4000-8000-000000000001","event_type":"level_up","user_id":"hero-1",
                 "event_ts":1700000000000,"received_ts":%d,"device_ts":1700000000000,"host":"%s","user_agent":"%s","accept":"",
                 "headers":{"content-length":"%s","content-type":"application/json","x-game-version":"2.0.1"},
                 "browser_family":"Mobile Safari","os_family":"iOS","device_family":"iPhone",
                 "attributes":{"class":"{\\"name\\":\\"mage\\"}","level":"9"},"schema_version":1}"""
                .formatted(received1, host, IPHONE, e1.get("headers").path("content-length").asText())));
        assertThat(e1.get("headers").get("content-length").asText()).matches("\\d+");

        ConsumerRecord<String, byte[]> r2 = byId.get(secondId);
        assertThat(r2.key()).isEqualTo("anon-7");
        ObjectNode e2 = (ObjectNode) Json.MAPPER.readTree(r2.value());
        assertThat(e2.get("event_ts").longValue()).isEqualTo(e2.get("received_ts").longValue());
        assertThat(e2.has("device_ts")).isTrue();
        assertThat(e2.get("device_ts").isNull()).isTrue();
        assertThat(e2.get("browser_family").textValue()).isEqualTo("QuestApp");
        assertThat(e2.get("os_family").textValue()).isEqualTo("iOS");
        assertThat(e2.get("attributes").size()).isZero();

        ConsumerRecord<String, byte[]> r3 = byId.values().stream()
                .filter(r -> !r.key().equals("hero-1") && !r.key().equals("anon-7")).findFirst().orElseThrow();
        assertThat(r3.key()).isEqualTo("knight-3");
        JsonNode e3 = Json.MAPPER.readTree(r3.value());
        assertThat(e3.get("event_type").textValue()).isEqualTo("purchase_sword");
        assertThat(e3.get("user_agent").textValue()).isEqualTo("ApacheBench/2.3");
        assertThat(e3.get("attributes")).isEqualTo(Json.MAPPER.readTree("{\"sword_type\":\"katana\"}"));
        assertThat(e3.get("schema_version").intValue()).isEqualTo(1);

        for (ConsumerRecord<String, byte[]> r : byId.values()) {
            String raw = new String(r.value(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(raw).doesNotContain("s3cret", "sid=abc", "key-1", "\"tok\"")
                    .doesNotContainIgnoringCase("authorization").doesNotContain("cookie", "x-api-key", "x-refresh-token");
        }
    }

    @Test
    @Order(3)
    void noRequestOfTheBadRequestCorpusReachesKafka() throws Exception {
        Map<String, String> vars = new HashMap<>(BadRequestCorpus.ENV);
        vars.put("QUESTLOG_KAFKA_BOOTSTRAP", kafka.bootstrap());
        vars.put("QUESTLOG_TOPIC", TOPIC);
        Env env = new Env(vars);
        IngestConfig cfg = IngestConfig.from(env);
        assertThat(env.errors()).isEmpty();
        KafkaEventSink corpusSink = new KafkaEventSink(cfg);
        Javalin corpusApp = IngestApp.create(cfg, corpusSink, new IngestMetrics()).start("127.0.0.1", 0);
        try {
            long before = endOffsets();
            List<BadRequestCorpus.Case> cases = BadRequestCorpus.cases();
            for (BadRequestCorpus.Case bad : cases) {
                BadRequestCorpus.assertRefused(bad, RawHttp.exchange(corpusApp.port(), bad.request(), bad.halfClose()));
            }
            // a good request through the same app afterwards: the topic grows by exactly that one event
            HttpResponse<String> good = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + corpusApp.port() + "/events"))
                    .header("Content-Type", "application/json").header("X-API-Key", BadRequestCorpus.KEY)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"after_corpus\",\"user_id\":\"u\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
            assertThat(endOffsets()).as("records in %s after %d bad requests and one good one", TOPIC, cases.size())
                    .isEqualTo(before + 1);
            String goodId = Json.MAPPER.readTree(good.body()).get("event_ids").get(0).textValue();
            assertThat(consumeAll(4)).containsKey(goodId).hasSize(4);
        } finally {
            corpusApp.stop();
            corpusSink.close();
        }
    }

    @Test
    @Order(4)
    void whenKafkaIsDownNothingIsClaimedAccepted() throws Exception {
        kafka.stop();
        HttpResponse<String> r = send(request("/events").header("Content-Type", "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"lost\",\"user_id\":\"u\"}\n")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("4");
        JsonNode body = Json.MAPPER.readTree(r.body());
        assertThat(body.get("error").textValue()).contains("not accepted");
        assertThat(body.has("accepted")).isFalse();

        HttpResponse<String> game = send(request("/join_a_guild").GET());
        assertThat(game.statusCode()).isEqualTo(503);
        assertThat(game.headers().firstValue("Retry-After")).isPresent();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(send(request("/health").GET()).statusCode()).isEqualTo(503));
    }

    /** Records in the topic: the sum of its partitions' end offsets. */
    private static long endOffsets() {
        Map<String, Object> props = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(TOPIC).forEach(p -> parts.add(new TopicPartition(TOPIC, p.partition())));
            return consumer.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static Map<String, ConsumerRecord<String, byte[]>> consumeAll(int expected) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, ConsumerRecord<String, byte[]>> byId = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(TOPIC).forEach(p -> parts.add(new TopicPartition(TOPIC, p.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    byId.put(Json.MAPPER.readTree(r.value()).get("event_id").textValue(), r);
                }
                return byId.size() >= expected;
            });
        }
        return byId;
    }
}
