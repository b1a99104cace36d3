package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stack.config.StackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kafka retention passing the checkpoint while the stream-writer is down (records deleted with the admin
 * API, as retention deletes them): with QUESTLOG_ON_DATA_LOSS=fail (the default) the job names the gap and
 * exits with code 3 at once, instead of failing on every restart; with skip it goes on from the earliest
 * offsets Kafka holds, and the records deleted stay missing, nothing else.
 */
class DataLossIT {
    static StackConfig c;

    @BeforeAll
    static void up() throws Exception {
        E2eStack.up();
        c = E2eStack.config();
    }

    @AfterAll
    static void down() throws Exception {
        E2eStack.down();
    }

    @Test
    void pastRetentionTheJobStopsWithExitCode3OrSkipsTheGapAsConfigured() throws Exception {
        post("before", 10);
        E2eStack.awaitCount("SELECT count(*) FROM events WHERE user_id = 'loss-before'", 10, Duration.ofMinutes(3));
        assertThat(E2eStack.supervisor().stop(E2eStack.part("stream-writer"))).isTrue();

        post("gap", 7);
        deleteEverythingKafkaHolds(); // retention passes the 7 records the job has not read
        post("after", 5);

        Path failLog = Path.of("target/data-loss-fail.log");
        Process fail = writer("fail", failLog);
        assertThat(fail.waitFor(4, TimeUnit.MINUTES)).as("the job stops by itself").isTrue();
        assertThat(fail.exitValue()).as(Files.readString(failLog)).isEqualTo(3);
        assertThat(Files.readString(failLog)).contains("Kafka retention passed the checkpoint")
                .contains("QUESTLOG_ON_DATA_LOSS=skip");

        Path skipLog = Path.of("target/data-loss-skip.log");
        Process skip = writer("skip", skipLog);
        try {
            E2eStack.awaitCount("SELECT count(*) FROM events WHERE user_id = 'loss-after'", 5, Duration.ofMinutes(4));
            assertThat(E2eStack.trino().count("SELECT count(*) FROM events WHERE user_id = 'loss-gap'")).isZero();
            assertThat(E2eStack.trino().count("SELECT count(*) FROM events WHERE user_id = 'loss-before'")).isEqualTo(10);
            assertThat(skip.isAlive()).as(Files.readString(skipLog)).isTrue();
        } finally {
            skip.destroy();
            skip.waitFor(60, TimeUnit.SECONDS);
        }
    }

    /** The stream-writer as the stack starts it, with the given data-loss policy, its output in {@code log}. */
    static Process writer(String policy, Path log) throws Exception {
        ProcessBuilder pb = E2eStack.part("stream-writer").command().build(c);
        pb.environment().put("QUESTLOG_ON_DATA_LOSS", policy);
        Files.createDirectories(log.getParent());
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    static void deleteEverythingKafkaHolds() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(java.util.List.of("events")).allTopicNames().get().get("events").partitions()
                    .forEach(i -> latest.put(new TopicPartition("events", i.partition()), OffsetSpec.latest()));
            Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, o) -> delete.put(tp, RecordsToDelete.beforeOffset(o.offset())));
            admin.deleteRecords(delete).all().get();
        }
    }

    /** {@code n} events of user {@code loss-<user>} through the ingest API, acknowledged. */
    static void post(String user, int n) throws Exception {
        List<String> ndjson = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ndjson.add("{\"event_type\":\"page_view\",\"anonymous_id\":\"loss-" + user + "\",\"device_sent_timestamp\":"
                    + System.currentTimeMillis() + "}");
        }
        E2eStack.postEvents(ndjson);
    }
}
