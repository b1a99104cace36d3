package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Env;
import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.Supervisor;
import io.questlog.stack.local.parts.Parts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

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
    static void awaitCount(String sql, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = trino.count(sql);
        while (seen < expected && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            seen = trino.count(sql);
        }
        assertThat(seen).as(sql + " (stream-writer log: " + config.log("stream-writer") + ")").isEqualTo(expected);
    }

    static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
