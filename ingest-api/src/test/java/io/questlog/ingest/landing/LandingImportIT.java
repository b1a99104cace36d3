package io.questlog.ingest.landing;

import com.fasterxml.jackson.databind.JsonNode;
import io.questlog.contract.Env;
import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.event.Json;
import io.questlog.ingest.kafka.EmbeddedKafka;
import io.questlog.ingest.kafka.EventSink;
import io.questlog.ingest.kafka.KafkaEventSink;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
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
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The import against a real broker: every good line once, bad lines in rejects, re-runs and resumes send nothing twice. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LandingImportIT {
    static final String TOPIC = "events";
    static final long Y2019 = 1_546_300_800_000L; // 2019-01-01T00:00:00Z

    static EmbeddedKafka kafka;
    static Env env;
    static IngestConfig cfg;
    static KafkaEventSink sink;
    static FileSystem fs;
    static Path landing;
    static Path pending;
    static Path today;

    @BeforeAll
    static void start() throws Exception {
        kafka = new EmbeddedKafka();
        kafka.createTopic(TOPIC, 2);
        env = new Env(Map.of("QUESTLOG_KAFKA_BOOTSTRAP", kafka.bootstrap(), "QUESTLOG_TOPIC", TOPIC,
                "QUESTLOG_DELIVERY_TIMEOUT", "5 seconds", "QUESTLOG_KAFKA_MAX_BLOCK", "3 seconds"));
        cfg = IngestConfig.from(env);
        assertThat(env.errors()).isEmpty();
        sink = new KafkaEventSink(cfg);
        fs = FileSystem.getLocal(new Configuration());
        fs.setWriteChecksum(false);
        landing = Files.createTempDirectory("questlog-landing-it");
        pending = Files.createDirectories(landing.resolve("pending"));
        today = landing.resolve("processed").resolve("dt=" + LocalDate.now(ZoneOffset.UTC));
    }

    @AfterAll
    static void stop() throws Exception {
        if (sink != null) sink.close();
        if (kafka != null) kafka.close();
        if (landing != null) fs.delete(new org.apache.hadoop.fs.Path(landing.toUri()), true);
    }

    static List<LandingImport.FileResult> runImport() throws IOException {
        return importer(Optional.of(sink)).run();
    }

    static LandingImport importer(Optional<EventSink> s) {
        return new LandingImport(fs, new org.apache.hadoop.fs.Path(landing.toUri()), cfg, s, System.out, false);
    }

    static final String A = String.join("\n",
            "{\"event_type\":\"purchase_sword\",\"user_id\":\"u1\",\"event_id\":\"given-1\",\"device_sent_timestamp\":" + Y2019 + ",\"price\":20}",
            "{\"event_type\":\"join_guild\",\"user_id\":\"u2\",\"guild\":\"Knights\"}",
            "{\"event_type\":",
            "",
            "{\"event_type\":\"default\"}",
            "{\"event_type\":\"Bad Type\",\"user_id\":\"u3\"}",
            "{\"event_type\":\"default\",\"anonymous_id\":\"anon-7\"}") + "\n";

    static final String B = String.join("\n",
            "{\"event_type\":\"default\",\"user_id\":\"b1\"}",
            "{\"event_type\":\"default\",\"user_id\":\"b2\"}",
            "{\"event_type\":\"default\",\"user_id\":\"b3\"}",
            "{\"event_type\":\"default\",\"user_id\":\"b4\",\"pad\":\"" + "x".repeat(40_000) + "\"}");

    @Test
    @Order(1)
    void goodLinesAreInTheTopicOnceBadOnesInRejectsAndFilesAreMoved() throws Exception {
        Files.writeString(pending.resolve("a-events.ndjson"), A);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(pending.resolve("b-events.ndjson.gz")))) {
            out.write(B.getBytes(StandardCharsets.UTF_8));
        }
        Files.write(pending.resolve("c-broken.ndjson.gz"), new byte[]{0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        String hashA = LandingPartsTest.scan(A).hash();
        String hashB = LandingPartsTest.scan(B).hash();

        List<LandingImport.FileResult> results = runImport();

        assertThat(results).extracting(LandingImport.FileResult::name).containsExactly("a-events.ndjson", "b-events.ndjson.gz", "c-broken.ndjson.gz");
        assertThat(results.get(0)).extracting(r -> r.lines(), r -> r.sent(), r -> r.rejected(), r -> r.failure()).containsExactly(7L, 3L, 3L, Optional.empty());
        assertThat(results.get(1)).extracting(r -> r.lines(), r -> r.sent(), r -> r.rejected(), r -> r.failure()).containsExactly(4L, 3L, 1L, Optional.empty());
        assertThat(results.get(2).failure()).hasValueSatisfying(f -> assertThat(f).contains("unreadable", "failed"));

        Map<String, JsonNode> byId = byId(consumeAll(6));
        assertThat(byId.keySet()).containsExactlyInAnyOrder("given-1", "imp-" + hashA + "-2", "imp-" + hashA + "-7",
                "imp-" + hashB + "-1", "imp-" + hashB + "-2", "imp-" + hashB + "-3");
        JsonNode old = byId.get("given-1");
        assertThat(old.get("event_ts").asLong()).as("a 2019 event keeps its time").isEqualTo(Y2019);
        assertThat(old.get("device_ts").asLong()).isEqualTo(Y2019);
        assertThat(old.get("host").textValue()).isEqualTo("import");
        assertThat(old.get("user_agent").textValue()).isEqualTo("questlog-import");
        assertThat(old.get("headers").size()).isZero();
        assertThat(old.get("attributes").get("price").textValue()).isEqualTo("20");
        assertThat(old.get("schema_version").asInt()).isEqualTo(1);
        assertThat(byId.get("imp-" + hashA + "-7").get("user_id").textValue()).isEqualTo("anon-7");

        assertThat(Files.exists(today.resolve("a-events.ndjson"))).isTrue();
        assertThat(Files.exists(today.resolve("b-events.ndjson.gz"))).isTrue();
        assertThat(Files.exists(landing.resolve("failed").resolve("c-broken.ndjson.gz"))).isTrue();
        try (var left = Files.list(pending)) {
            assertThat(left).as("markers and rejects left in pending/").isEmpty();
        }

        List<JsonNode> rejectsA = readLines(today.resolve("a-events.ndjson.rejects.ndjson"));
        assertThat(rejectsA).extracting(r -> r.get("line").asInt()).containsExactly(3, 5, 6);
        assertThat(rejectsA).extracting(r -> r.get("reason").textValue()).containsExactly("malformed_json", "invalid_field", "invalid_field");
        assertThat(rejectsA.get(1).get("field").textValue()).isEqualTo("user_id");
        assertThat(rejectsA.get(2).get("field").textValue()).isEqualTo("event_type");
        assertThat(rejectsA.get(0).get("raw").textValue()).isEqualTo("{\"event_type\":");
        assertThat(rejectsA).allSatisfy(r -> assertThat(r.get("error").textValue()).isNotBlank());
        List<JsonNode> rejectsB = readLines(today.resolve("b-events.ndjson.gz.rejects.ndjson"));
        assertThat(rejectsB).extracting(r -> r.get("reason").textValue()).containsExactly("event_too_large");
    }

    @Test
    @Order(2)
    void aSecondRunSendsNothing() throws Exception {
        long before = endOffsets();
        assertThat(runImport()).isEmpty();
        assertThat(endOffsets()).isEqualTo(before);
    }

    @Test
    @Order(3)
    void aFileMovedBackIsSentAgainWithTheSameIds() throws Exception {
        String hashA = LandingPartsTest.scan(A).hash();
        Files.copy(today.resolve("a-events.ndjson"), pending.resolve("a-events.ndjson"));
        long before = endOffsets();
        assertThat(runImport()).singleElement().extracting(LandingImport.FileResult::sent).isEqualTo(3L);
        List<JsonNode> all = consumeAll((int) before + 3);
        assertThat(all.subList((int) before, all.size())).extracting(e -> e.get("event_id").textValue())
                .containsExactlyInAnyOrder("given-1", "imp-" + hashA + "-2", "imp-" + hashA + "-7");
        assertThat(Files.exists(today.resolve("a-events-2.ndjson"))).as("a second copy the same day gets its own name").isTrue();
    }

    @Test
    @Order(4)
    void afterACrashOnlyTheLinesAfterTheMarkerAreSent() throws Exception {
        String content = IntStream.rangeClosed(1, 20)
                .mapToObj(i -> "{\"event_type\":\"default\",\"user_id\":\"r" + i + "\"}\n").collect(Collectors.joining());
        String hash = LandingPartsTest.scan(content).hash();
        Files.writeString(pending.resolve("d-resume.ndjson"), content);
        Files.writeString(pending.resolve(".d-resume.ndjson.progress"), new Progress(hash, 10).format());
        long before = endOffsets();

        List<LandingImport.FileResult> results = runImport();

        assertThat(results).singleElement().satisfies(r -> {
            assertThat(r.resumedAt()).isEqualTo(10);
            assertThat(r.sent()).isEqualTo(10);
            assertThat(r.lines()).isEqualTo(20);
        });
        List<JsonNode> all = consumeAll((int) before + 10);
        assertThat(all.subList((int) before, all.size())).extracting(e -> e.get("event_id").textValue())
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(11, 20).mapToObj(i -> ImportIds.eventId(hash, i)).toList());
        assertThat(Files.exists(today.resolve("d-resume.ndjson"))).isTrue();
        assertThat(Files.exists(pending.resolve(".d-resume.ndjson.progress"))).isFalse();
    }

    @Test
    @Order(7)
    void aMarkerLeftAsTmpByACrashInTheMiddleOfItsReplacementIsRead() throws Exception {
        String content = "{\"event_type\":\"default\",\"user_id\":\"t1\"}\n{\"event_type\":\"default\",\"user_id\":\"t2\"}\n";
        Files.writeString(pending.resolve("d-tmp.ndjson"), content);
        Files.writeString(pending.resolve(".d-tmp.ndjson.progress.tmp"), new Progress(LandingPartsTest.scan(content).hash(), 1).format());
        assertThat(runImport()).singleElement().satisfies(r -> assertThat(r.sent()).isEqualTo(1));
        try (var left = Files.list(pending)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    @Order(5)
    void theCommandLineExitsTwoOnUsageErrorsAndOneWhenAFileFails() throws Exception {
        Map<String, String> vars = new HashMap<>(Map.of("QUESTLOG_KAFKA_BOOTSTRAP", kafka.bootstrap(), "QUESTLOG_TOPIC", TOPIC));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new Import(new Env(vars))).setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute("--form", landing.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--from");
        StringBuilder help = new StringBuilder();
        CommandLine helpCli = new CommandLine(new Import(new Env(vars)));
        helpCli.setOut(new java.io.PrintWriter(new java.io.StringWriter() {
            @Override
            public void write(String s, int off, int len) {
                help.append(s, off, len);
            }
        }, true));
        assertThat(helpCli.execute("--help")).isZero();
        assertThat(help.toString()).contains("--from", "--dry-run", "./.questlog/landing");

        Files.write(pending.resolve("e-broken.ndjson.gz"), new byte[]{1, 2, 3});
        long before = endOffsets();
        PrintStream stdout = System.out;
        try {
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            assertThat(new CommandLine(new Import(new Env(vars))).execute("--from", landing.toString())).isEqualTo(1);
        } finally {
            System.setOut(stdout);
        }
        assertThat(endOffsets()).isEqualTo(before);
        assertThat(Files.exists(landing.resolve("failed").resolve("e-broken.ndjson.gz"))).isTrue();
    }

    @Test
    @Order(6)
    void whenKafkaDoesNotAcknowledgeTheFileStaysInPendingAndTheNextRunSendsIt() throws Exception {
        Files.writeString(pending.resolve("f-down.ndjson"), "{\"event_type\":\"default\",\"user_id\":\"down\"}\n");
        long before = endOffsets();
        kafka.stop();
        try {
            assertThat(runImport()).singleElement().satisfies(r -> {
                assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f).startsWith(LandingImport.KAFKA_FAILED));
                assertThat(r.sent()).isZero();
            });
            assertThat(Files.exists(pending.resolve("f-down.ndjson"))).isTrue();
        } finally {
            kafka.start();
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(runImport()).singleElement().satisfies(r -> assertThat(r.failure()).isEmpty()));
        assertThat(consumeAll((int) before + 1).get((int) before).get("user_id").textValue()).isEqualTo("down");
        assertThat(Files.exists(today.resolve("f-down.ndjson"))).isTrue();
    }

    static List<JsonNode> readLines(Path p) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(p)) out.add(Json.MAPPER.readTree(l));
        return out;
    }

    static Map<String, JsonNode> byId(List<JsonNode> events) {
        Map<String, JsonNode> m = new HashMap<>();
        for (JsonNode e : events) assertThat(m.put(e.get("event_id").textValue(), e)).as("sent once: %s", e).isNull();
        return m;
    }

    static long endOffsets() {
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            return c.endOffsets(partitions(c)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Every record of the topic, partition by partition in offset order; exactly {@code expected} of them. */
    static List<JsonNode> consumeAll(int expected) {
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = consumer()) {
            List<TopicPartition> parts = partitions(c);
            c.assign(parts);
            c.seekToBeginning(parts);
            List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                c.poll(Duration.ofMillis(300)).forEach(records::add);
                return records.size() >= expected;
            });
            assertThat(records).hasSize(expected);
            // order by time of append is not known across partitions: the newest are those with the highest offsets per partition
            records.sort((x, y) -> Long.compare(x.timestamp(), y.timestamp()) != 0 ? Long.compare(x.timestamp(), y.timestamp())
                    : Long.compare(x.offset(), y.offset()));
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    out.add(Json.MAPPER.readTree(r.value()));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return out;
    }

    static KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer());
    }

    static List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(TOPIC).forEach(p -> parts.add(new TopicPartition(TOPIC, p.partition())));
        return parts;
    }
}
