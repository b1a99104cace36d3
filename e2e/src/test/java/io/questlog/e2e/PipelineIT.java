package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Field;
import io.questlog.contract.Routes;
import io.questlog.contract.Table;
import io.questlog.contract.TableCatalog;
import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * HTTP in, Presto SQL out: the whole local stack as real processes (Kafka, HDFS, Hive Metastore,
 * HiveServer2, Trino, ingest-api, stream-writer on Spark), fed known events; every figure exact.
 */
class PipelineIT {
    static final String IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
            + "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
    static final String WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    static StackConfig c;
    static Trino trino;
    static final Instant T0 = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MINUTES);

    @BeforeAll
    static void upAndLoad() throws Exception {
        E2eStack.up();
        c = E2eStack.config();
        trino = E2eStack.trino();

        // Back-dated user events first (the sessions' watermark follows the newest event time), one request each in
        // time order: wherever a micro-batch ends, none is behind the watermark of the ones before it.
        // alice: 0, +10m, +20m one session (gaps < 30m); +65m a second one. bob: +5m, +34m (29m gap) then +70m (36m).
        post(IPHONE, event("a1", "page_view", "e2e-alice", 0, ""));
        post(WINDOWS, event("b1", "page_view", "e2e-bob", 5, ""));
        post(IPHONE, event("a2", "page_view", "e2e-alice", 10, ""));
        post(IPHONE, event("a3", "purchase_sword", "e2e-alice", 20, ",\"sword_type\":\"katana\",\"price\":35"));
        post(WINDOWS, event("b2", "page_view", "e2e-bob", 34, ""));
        post(IPHONE, event("a4", "join_guild", "e2e-alice", 65, ",\"guild_name\":\"Owls\""));
        post(WINDOWS, event("b3", "page_view", "e2e-bob", 70, ""));
        // Live game traffic with the analysts' ab script: 4 requests per host x endpoint, 24 events.
        Path tally = Path.of("target/ab-tally.tsv");
        Process ab = new ProcessBuilder("bash", c.root().resolve("loadgen/ab/game-traffic.sh").toString(),
                "-n", "4", "-c", "2", "--url", c.ingestUrl(), "--tally", tally.toString()).inheritIO().start();
        assertThat(ab.waitFor()).isZero();
        assertThat(Files.readAllLines(tally).stream().skip(1).mapToInt(l -> Integer.parseInt(l.split("\t")[6])).sum()).isEqualTo(24);
        // One event at "now" closes the back-dated sessions once the watermark passes them.
        post(WINDOWS, event("z1", "page_view", "e2e-closer", ChronoUnit.MINUTES.between(T0, Instant.now()), ""));
        // Records no API would send, produced straight to Kafka: each must become a dead letter with its reason.
        Properties p = new Properties();
        p.put("bootstrap.servers", c.kafkaBootstrap());
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (String[] poison : POISON) {
                RecordMetadata md = producer.send(new ProducerRecord<>("events", "x", poison[1])).get();
                poisoned.add(Arrays.asList(poison[0], poison[1], "events", String.valueOf(md.partition()), String.valueOf(md.offset())));
            }
        }
        E2eStack.awaitCount("SELECT count(*) FROM events", 32, Duration.ofMinutes(5));
        // Once the stream has seen "now", an event from three hours ago is behind the sessions' watermark:
        // it is still an event, but a dead letter with reason "late" instead of a silent drop from sessions.
        post(WINDOWS, event("l1", "page_view", "e2e-late", 1, ""));
        E2eStack.awaitCount("SELECT count(*) FROM events", 33, Duration.ofMinutes(5));
        E2eStack.awaitCount("SELECT count(*) FROM sessions WHERE user_id IN ('e2e-alice', 'e2e-bob')", 4, Duration.ofMinutes(5));
        E2eStack.awaitCount("SELECT count(*) FROM bad_events", POISON.length + 1, Duration.ofMinutes(5));
    }

    /** error, raw record value. */
    static final String[][] POISON = {
            {"malformed JSON or a field of the wrong type", "{not json"},
            {"not a JSON object", "[1, 2]"},
            {"empty record value", null},
            {"missing required field(s): event_id, user_id, event_ts", "{\"event_type\":\"default\"}"},
            {"malformed JSON or a field of the wrong type", "{\"event_id\":\"p1\",\"event_type\":\"default\",\"user_id\":\"u\",\"event_ts\":\"yesterday\"}"},
            {"event_ts out of range: -5", "{\"event_id\":\"p2\",\"event_type\":\"default\",\"user_id\":\"u\",\"event_ts\":-5}"}};
    static final List<List<String>> poisoned = new ArrayList<>();

    @AfterAll
    static void down() throws Exception {
        E2eStack.down();
    }

    @Test
    void everyAcceptedEventIsInTheTablesOnce() {
        assertThat(rows("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 1")).containsExactly(
                List.of("default", "8"), List.of("join_guild", "9"), List.of("page_view", "7"), List.of("purchase_sword", "9"));
        assertThat(trino.count("SELECT count(*) - count(DISTINCT event_id) FROM events")).isZero();
        assertThat(rows("SELECT event_id FROM events WHERE user_id = 'e2e-alice' ORDER BY event_ts"))
                .containsExactly(List.of("e2e-a1"), List.of("e2e-a2"), List.of("e2e-a3"), List.of("e2e-a4"));
    }

    @Test
    void routedTablesAnswerPerHost() {
        assertThat(rows("SELECT host, count(*) FROM sword_purchases WHERE host LIKE 'user%' GROUP BY 1 ORDER BY 1"))
                .containsExactly(List.of("user1.comcast.com", "4"), List.of("user2.att.com", "4"));
        assertThat(rows("SELECT host, count(*) FROM guild_joins WHERE host LIKE 'user%' GROUP BY 1 ORDER BY 1"))
                .containsExactly(List.of("user1.comcast.com", "4"), List.of("user2.att.com", "4"));
        assertThat(rows("SELECT user_id, attributes['sword_type'], attributes['price'], device_family, os_family "
                + "FROM sword_purchases WHERE user_id LIKE 'e2e-%'"))
                .containsExactly(List.of("e2e-alice", "katana", "35", "iPhone", "iOS"));
        assertThat(rows("SELECT attributes['sword_type'], count(*) FROM sword_purchases WHERE host LIKE 'user%' GROUP BY 1"))
                .containsExactly(List.of("longsword", "8"));
    }

    @Test
    void sessionsFollowTheThirtyMinuteGap() {
        assertThat(rows("SELECT user_id, CAST(to_unixtime(session_start) AS bigint), CAST(to_unixtime(session_end) AS bigint), duration_s, event_count, "
                + "purchase_count, guild_join_count, device_family FROM sessions WHERE user_id LIKE 'e2e-%' "
                + "ORDER BY user_id, session_start"))
                .containsExactly(
                        session("e2e-alice", 0, 20, 3, 1, 0, "iPhone"),
                        session("e2e-alice", 65, 65, 1, 0, 1, "iPhone"),
                        session("e2e-bob", 5, 34, 2, 0, 0, "Other"),
                        session("e2e-bob", 70, 70, 1, 0, 0, "Other"));
    }

    @Test
    void unparseableRecordsBecomeDeadLettersWithReasonTopicPartitionAndOffset() {
        assertThat(rows("SELECT error, raw, topic, CAST(kafka_partition AS varchar), CAST(kafka_offset AS varchar) "
                + "FROM bad_events WHERE error <> 'late' ORDER BY kafka_offset")).containsExactlyElementsOf(poisoned);
    }

    @Test
    void eventsBehindTheWatermarkAreLateDeadLettersNotSilentDrops() {
        assertThat(rows("SELECT error, json_extract_scalar(raw, '$.event_id') FROM bad_events WHERE error = 'late'"))
                .containsExactly(List.of("late", "e2e-l1"));
        assertThat(rows("SELECT user_id FROM events WHERE event_id = 'e2e-l1'")).containsExactly(List.of("e2e-late"));
        assertThat(trino.count("SELECT count(*) FROM sessions WHERE user_id = 'e2e-late'")).isZero();
    }

    @Test
    void partitionsAreTheUtcDatesOfEventTime() {
        assertThat(rows("SELECT DISTINCT dt = format_datetime(event_ts, 'yyyy-MM-dd') FROM events")).containsExactly(List.of("true"));
    }

    // ---- helpers ----

    static List<List<String>> rows(String sql) {
        List<List<String>> r = trino.query(sql);
        return r.subList(1, r.size());
    }

    static List<String> session(String user, long startMin, long endMin, int events, int purchases, int joins, String device) {
        long s = T0.plus(startMin, ChronoUnit.MINUTES).getEpochSecond();
        long e = T0.plus(endMin, ChronoUnit.MINUTES).getEpochSecond();
        return List.of(user, String.valueOf(s), String.valueOf(e), String.valueOf(e - s), String.valueOf(events), String.valueOf(purchases),
                String.valueOf(joins), device);
    }

    static String event(String id, String type, String user, long minute, String extra) {
        return "{\"event_id\":\"e2e-" + id + "\",\"event_type\":\"" + type + "\",\"anonymous_id\":\"" + user
                + "\",\"device_sent_timestamp\":" + T0.plus(minute, ChronoUnit.MINUTES).toEpochMilli() + extra + "}";
    }

    /** The contract's catalog is what HiveServer2 and Trino report: every table, column, type, in order. */
    @Test
    void hiveServer2AndTrinoReportTheCatalogsTables() throws Exception {
        List<Table> tables = TableCatalog.all(Routes.parse(Routes.DEFAULT));
        for (Table t : tables) {
            List<String> expectHive = new ArrayList<>();
            List<String> expectTrino = new ArrayList<>();
            for (Field f : t.columns()) {
                expectHive.add(f.name() + " " + f.type().hive().toLowerCase().replace(" ", ""));
                expectTrino.add(f.name() + " " + f.type().trino());
            }
            expectHive.add(TableCatalog.PARTITION + " string");
            expectTrino.add(TableCatalog.PARTITION + " varchar");
            assertThat(hiveColumns(t.name())).as("HiveServer2: DESCRIBE " + t.name()).isEqualTo(expectHive);
            List<String> trinoColumns = trino.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'default'"
                    + " AND table_name = '" + t.name() + "' ORDER BY ordinal_position").stream().skip(1).map(r -> r.get(0) + " " + r.get(1)).toList();
            assertThat(trinoColumns).as("Trino: " + t.name()).isEqualTo(expectTrino);
        }
        List<String> trinoTables = trino.query("SHOW TABLES").stream().skip(1).map(r -> r.get(0)).sorted().toList();
        assertThat(trinoTables).isEqualTo(tables.stream().map(Table::name).sorted().toList());
    }

    /** DESCRIBE through hive-jdbc's standalone jar (what `./questlog tables` uses), loaded on its own. */
    static List<String> hiveColumns(String table) throws Exception {
        Path jar;
        try (var files = Files.list(c.root().resolve("hive/target/lib"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("hive-jdbc-.*-standalone\\.jar")).findFirst().orElseThrow();
        }
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            var driver = (java.sql.Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, loader).getDeclaredConstructor().newInstance();
            Properties props = new Properties();
            props.setProperty("user", "questlog");
            List<String> out = new ArrayList<>();
            try (var conn = driver.connect(c.hiveJdbc(), props); var rs = conn.createStatement().executeQuery("DESCRIBE " + table)) {
                while (rs.next()) {
                    String name = rs.getString(1).trim();
                    if (name.isEmpty() || name.startsWith("#")) break; // the partition section repeats dt
                    out.add(name + " " + rs.getString(2).trim().toLowerCase().replace(" ", ""));
                }
            }
            return out;
        }
    }

    static void post(String userAgent, String... events) throws Exception {
        E2eStack.postEvents(List.of(events), "User-Agent", userAgent, "Authorization", "Bearer secret");
    }
}
