package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.questlog.contract.Env;
import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.Supervisor;
import io.questlog.stack.local.parts.Parts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The whole local stack for one IT class: {@link #up} in {@code @BeforeAll}, {@link #down} in
 * {@code @AfterAll}. When none of its parts runs, its data folder is wiped first, so each class
 * starts from empty topics, tables and checkpoints (exact figures stay exact whatever ran before).
 * QUESTLOG_KEEP_STACK=true leaves it running after the class.
 */
final class E2eStack {
    private static StackConfig config;
    private static Supervisor supervisor;
    private static Trino trino;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private E2eStack() {
    }

    static synchronized void up() throws Exception {
        StackConfig c = StackConfig.from(Env.system());
        Supervisor s = new Supervisor(c);
        if (Parts.all().stream().noneMatch(p -> s.running(p).isPresent())) wipe(c.home().resolve("data"));
        s.up(Parts.all());
        config = c;
        supervisor = s;
        trino = new Trino(c);
    }

    static synchronized void down() throws Exception {
        if (supervisor != null && !"true".equals(System.getenv("QUESTLOG_KEEP_STACK"))) supervisor.down(Parts.all());
        supervisor = null;
    }

    static StackConfig config() {
        return config;
    }

    static Supervisor supervisor() {
        return supervisor;
    }

    static Trino trino() {
        return trino;
    }

    static Part part(String name) {
        return Parts.named(name);
    }

    /**
     * Polls a Trino count until it reaches {@code expected} or {@code timeout} passes, then asserts equality:
     * a count that overshoots fails at once (a duplicate), one that never arrives fails with the writer's log.
     */
    static void awaitCount(String sql, long expected, Duration timeout) {
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1))
                    .until(() -> trino.count(sql), seen -> seen >= expected);
        } catch (ConditionTimeoutException e) {
            // too few: the assertion below says how many arrived
        }
        assertThat(trino.count(sql)).as(sql + " (stream-writer log: " + config.log("stream-writer") + ")").isEqualTo(expected);
    }

    /** As {@link #awaitCount}, for a Trino that is coming back: its errors meanwhile are waited out. */
    static void awaitCountThroughErrors(String sql, long expected, Duration timeout) {
        await().atMost(timeout).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                .until(() -> trino.count(sql) >= expected);
        assertThat(trino.count(sql)).as(sql).isEqualTo(expected);
    }

    /** POSTs NDJSON lines to the ingest API's /events (headers as name, value pairs) and asserts it accepted them. */
    static void postEvents(List<String> lines, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.ingestUrl() + "/events"))
                .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines)));
        accepted(b, headers);
    }

    /** GETs a path of the ingest API (headers as name, value pairs) and asserts a 200. */
    static void get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        accepted(HttpRequest.newBuilder(URI.create(config.ingestUrl() + pathAndQuery)).GET(), headers);
    }

    private static void accepted(HttpRequest.Builder b, String... headers) throws IOException, InterruptedException {
        if (headers.length > 0) b.headers(headers);
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
