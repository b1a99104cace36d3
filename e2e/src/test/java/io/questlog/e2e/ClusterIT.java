package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.questlog.contract.Env;
import io.questlog.loadgen.sessions.ExpectedSessions;
import io.questlog.loadgen.simulate.UserEvent;
import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.parts.SparkStandalone;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster topology ({@code ./questlog up --cluster}) under continuous HTTP load through the load balancer, one
 * node killed at a time with SIGKILL: a Kafka broker (then started again), an ingest-api instance, a DataNode, a
 * Spark executor and the Spark driver (brought back by the Master alone). The load is what a careful client sends:
 * batches of events with their own event_ids, re-sent unchanged until acknowledged, so a batch the API failed may be
 * stored once by its first attempt and again by its retry; the pipeline must keep exactly one. Every failed attempt
 * is counted per fault. Afterwards each table holds every acknowledged event once, and every closed session matches
 * the acknowledged events (except events reported late in bad_events). The launcher is driven as a user drives it:
 * {@code java -jar questlog-stack.jar up --cluster}, {@code up NODE}, {@code down}.
 */
class ClusterIT {
    static final String PREFIX = "cluster-";
    static final Duration GAP = Duration.ofMinutes(30);
    static final Duration WATERMARK = Duration.ofMinutes(10);
    /** Event time runs 20x the wall clock: a 30 s stall of a request is 10 minutes, at most the watermark. */
    static final long SPEED = 20;
    static final long COHORT_MS = Duration.ofMinutes(10).toMillis();

    static StackConfig c;
    static Trino trino;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, UserEvent> acked = new ConcurrentHashMap<>();
    final long realStart = System.currentTimeMillis();
    final long simStart = realStart - Duration.ofHours(3).toMillis();
    final AtomicBoolean loading = new AtomicBoolean(true);
    final AtomicReference<String> phase = new AtomicReference<>("steady");
    /** Failed attempts: phase, wall time, what happened. */
    final List<String[]> failures = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void up() throws Exception {
        c = StackConfig.from(Env.system());
        E2eStack.wipe(c.home().resolve("data"));
        assertThat(questlog("up", "--cluster")).as("./questlog up --cluster").isZero();
        trino = new Trino(c);
    }

    @AfterAll
    static void down() throws Exception {
        if (c != null && !"true".equals(System.getenv("QUESTLOG_KEEP_STACK"))) questlog("down");
    }

    @Test
    void everyAcknowledgedEventOnceWhileOneNodeAtATimeIsKilled() throws Exception {
        // every node up, the stream-writer among them once its first batch ran (status exits 0 only then)
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(5)).until(() -> questlog("status") == 0);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int thread = t;
            Thread s = new Thread(() -> send(thread), "load-" + t);
            s.start();
            senders.add(s);
        }
        Map<String, String> report = new LinkedHashMap<>();
        Thread.sleep(15_000);

        // Kafka: one of three brokers; RF 3 with min.insync.replicas=2 keeps acks=all writable
        fault("kafka-2", () -> {
            kill(pid("kafka-2"));
            Thread.sleep(20_000);
            assertThat(questlog("up", "kafka-2")).isZero();
            Thread.sleep(10_000);
        });
        // ingest-api: HAProxy's health check takes it out, its retries send the in-flight requests to the other one
        fault("ingest-api-1", () -> {
            kill(pid("ingest-api-1"));
            Thread.sleep(20_000);
            assertThat(questlog("up", "ingest-api-1")).isZero();
            Thread.sleep(5_000);
        });
        // HDFS: one of three DataNodes; reads and writes go on while it is down
        fault("datanode-2", () -> {
            long before = trino.count("SELECT count(*) FROM events WHERE user_id LIKE '" + PREFIX + "%'");
            kill(pid("datanode-2"));
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .until(() -> trino.count("SELECT count(*) FROM events WHERE user_id LIKE '" + PREFIX + "%'") > before);
            report.put("datanode-2 down", "Trino read new rows while it was down (" + before + " before)");
            assertThat(questlog("up", "datanode-2")).isZero();
        });
        // Spark: one executor; its worker starts another and the tasks run again
        fault("executor", () -> {
            kill(sparkProcess("CoarseGrainedExecutorBackend").orElseThrow(() -> new AssertionError("no executor running")));
            Thread.sleep(25_000);
        });
        // Spark: the driver; --supervise makes the Master start it again, no ./questlog command involved
        fault("driver", () -> {
            long old = sparkProcess("DriverWrapper").orElseThrow(() -> new AssertionError("no driver running"));
            long killedAt = System.currentTimeMillis();
            kill(old);
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> sparkProcess("DriverWrapper").filter(p -> p != old).isPresent());
            await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> Files.getLastModifiedTime(c.progressFile("stream-writer")).toMillis() > killedAt + 1000);
            report.put("driver back", String.format("new driver pid %d, publishing again %.1f s after the kill",
                    sparkProcess("DriverWrapper").orElse(-1L), (System.currentTimeMillis() - killedAt) / 1000.0));
        });

        phase.set("steady");
        // load on until the first two cohorts' sessions are past the watermark
        long closeAt = simStart + 2 * COHORT_MS + GAP.toMillis() + WATERMARK.toMillis();
        while (eventTime() < closeAt) Thread.sleep(200);
        Thread.sleep(5_000);
        loading.set(false);
        for (Thread s : senders) s.join();

        String where = " WHERE user_id LIKE '" + PREFIX + "%'";
        long expected = acked.size();
        long purchases = acked.values().stream().filter(e -> e.eventType().equals("purchase_sword")).count();
        long joins = acked.values().stream().filter(e -> e.eventType().equals("join_guild")).count();
        awaitCount("SELECT count(*) FROM events" + where, expected, Duration.ofMinutes(5));
        awaitCount("SELECT count(*) FROM sword_purchases" + where, purchases, Duration.ofMinutes(3));
        awaitCount("SELECT count(*) FROM guild_joins" + where, joins, Duration.ofMinutes(3));

        // the sessions query runs beside the tables query and may be a few batches behind it (state, restarts); the
        // sessions it must have closed are computed from the events it did not report late, as far as it has reported
        long newest = acked.values().stream().mapToLong(UserEvent::eventTs).max().orElseThrow();
        try {
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                    .until(() -> trino.count("SELECT count(*) FROM sessions" + where) >= closedSessions(lateIds(), newest).size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("closed sessions: " + trino.count("SELECT count(*) FROM sessions" + where) + " of "
                    + closedSessions(lateIds(), newest).size() + " after 6 minutes; the driver's last lines:\n"
                    + driverLogTail(40), e);
        }
        Thread.sleep(8_000); // a few more triggers: a late duplicate would show up now
        Set<String> late = lateIds();
        List<String> closed = closedSessions(late, newest);
        Set<String> closedKeys = new HashSet<>();
        closed.forEach(s -> closedKeys.add(s.substring(0, s.indexOf(',', s.indexOf(',') + 1))));

        AckedLoad.Audit audit = AckedLoad.Audit.of(trino, PREFIX, acked.keySet());
        long otherBad = trino.count("SELECT count(*) FROM bad_events WHERE error <> 'late'");
        // compare the sessions the expectation says are closed by now (a later one may be closed too, or not yet)
        List<String> sessions = audit.sessions().stream()
                .filter(s -> closedKeys.contains(s.substring(0, s.indexOf(',', s.indexOf(',') + 1)))).toList();

        StringBuilder table = new StringBuilder("| fault | failed attempts | first..last failure (s) | HTTP statuses |\n|---|---:|---:|---|\n");
        for (String f : List.of("steady", "kafka-2", "ingest-api-1", "datanode-2", "executor", "driver")) {
            List<String[]> fs = failures.stream().filter(x -> x[0].equals(f)).toList();
            double span = fs.isEmpty() ? 0 : (Long.parseLong(fs.get(fs.size() - 1)[1]) - Long.parseLong(fs.get(0)[1])) / 1000.0;
            Map<String, Long> kinds = new HashMap<>();
            fs.forEach(x -> kinds.merge(x[2], 1L, Long::sum));
            table.append(String.format("| %s | %d | %.1f | %s |%n", f, fs.size(), span, kinds));
        }
        String summary = table + String.format("acknowledged=%d | events=%d duplicates=%d missing=%d unacknowledged=%d | "
                        + "sword_purchases=%d/%d duplicates=%d | guild_joins=%d/%d duplicates=%d | late=%d other bad_events=%d | "
                        + "closed sessions=%d/%d duplicates=%d%n%s",
                expected, audit.events(), audit.dupEvents(), audit.missing().size(), audit.unexpected().size(), audit.swords(),
                purchases, audit.dupSwords(), audit.guilds(), joins, audit.dupGuilds(), late.size(), otherBad, sessions.size(),
                closed.size(), audit.dupSessions(), report);
        System.out.println(summary);
        Files.writeString(Path.of("target/cluster-faults.txt"), summary);

        assertThat(expected).as("events acknowledged under load").isGreaterThan(5_000);
        assertThat(failures.stream().filter(x -> x[0].equals("ingest-api-1")))
                .as("attempts that failed while an ingest-api instance died (HAProxy retries them)").isEmpty();
        audit.assertExactlyOnce(expected, purchases, joins);
        assertThat(otherBad).as("bad_events other than late").isZero();
        assertThat(closed).as("sessions closed during the run").hasSizeGreaterThan(10);
        assertThat(sessions).as("closed sessions (user, start, end, events, purchases, joins)").isEqualTo(closed);
    }

    /** The acknowledged events the sessions query reported late (bad_events, error 'late'): in no session. */
    Set<String> lateIds() {
        List<List<String>> rows = trino.query("SELECT json_extract_scalar(raw, '$.event_id') FROM bad_events WHERE error = 'late'"
                + " AND json_extract_scalar(raw, '$.user_id') LIKE '" + PREFIX + "%'");
        Set<String> late = new HashSet<>();
        rows.subList(1, rows.size()).forEach(r -> late.add(r.get(0)));
        return late;
    }

    /** The sessions of the on-time events that the watermark after the newest event has closed, a minute to spare. */
    List<String> closedSessions(Set<String> late, long newest) {
        List<UserEvent> onTime = acked.values().stream().filter(e -> !late.contains(e.eventId())).toList();
        return ExpectedSessions.compute(onTime, GAP).stream()
                .filter(s -> s.sessionEnd() + GAP.toMillis() < newest - WATERMARK.toMillis() - 60_000)
                .map(AckedLoad::row).sorted().toList();
    }

    interface Fault {
        void run() throws Exception;
    }

    void fault(String name, Fault f) throws Exception {
        phase.set(name);
        System.out.printf("cluster test: kill -9 %s at %d events acknowledged%n", name, acked.size());
        f.run();
        phase.set("steady");
        Thread.sleep(5_000);
    }

    /** Batches of 20 fresh events, each batch re-sent unchanged until the API acknowledges it. */
    void send(int thread) {
        long n = 0;
        while (loading.get()) {
            Map<String, UserEvent> batch = AckedLoad.batch(PREFIX, thread, n, 20, this::eventTime, simStart, COHORT_MS, 15);
            n += batch.size();
            HttpRequest request = HttpRequest.newBuilder(URI.create(c.ingestUrl() + "/events")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(AckedLoad.ndjson(batch.values()))).build();
            try {
                while (true) {
                    String outcome;
                    try {
                        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            acked.putAll(batch);
                            break;
                        }
                        outcome = String.valueOf(r.statusCode());
                    } catch (IOException e) {
                        outcome = e.getClass().getSimpleName();
                    }
                    failures.add(new String[] {phase.get(), String.valueOf(System.currentTimeMillis()), outcome});
                    Thread.sleep(500);
                }
                Thread.sleep(100); // about 250 events/s in all: load that 2 cores serve beside 20 JVMs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Event time: 20x the wall clock from 3 hours back, never ahead of now. */
    long eventTime() {
        long now = System.currentTimeMillis();
        return Math.min(now, simStart + (now - realStart) * SPEED);
    }

    /** Polls a Trino count (its errors meanwhile waited out) until it reaches {@code expected}, then asserts equality. */
    static void awaitCount(String sql, long expected, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofSeconds(2)).ignoreExceptions().until(() -> trino.count(sql) >= expected);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            // too few: the assertion says how many arrived
        }
        assertThat(trino.count(sql)).as(sql).isEqualTo(expected);
    }

    /** The newest driver's last progress lines (stdout) and errors (stderr), from its Worker's work folder. */
    static String driverLogTail(int lines) {
        StringBuilder out = new StringBuilder();
        for (Path d : SparkStandalone.driverDirs(c).stream().limit(1).toList()) {
            for (String f : List.of("stdout", "stderr")) {
                try {
                    List<String> all = Files.readAllLines(d.resolve(f)).stream()
                            .filter(l -> f.equals("stdout") || l.contains("ERROR") || l.contains("Exception")).toList();
                    out.append("--- ").append(d.resolve(f)).append('\n');
                    all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> out.append(l).append('\n'));
                } catch (IOException | RuntimeException e) {
                    out.append("--- ").append(d.resolve(f)).append(": ").append(e).append('\n');
                }
            }
        }
        return out.toString();
    }

    /** The pid in run/NAME.pid (the launcher's convention: "pid start-ms"). */
    static long pid(String node) throws IOException {
        return Long.parseLong(Files.readString(c.pidFile(node)).trim().split("\\s+")[0]);
    }

    static void kill(long pid) throws Exception {
        ProcessHandle h = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no process " + pid));
        h.destroyForcibly(); // SIGKILL
        h.onExit().get();
    }

    /** A Spark JVM (by main class) that one of this stack's workers started: its working folder is under QUESTLOG_HOME. */
    static Optional<Long> sparkProcess(String mainClass) {
        return ProcessHandle.allProcesses().filter(p -> {
            try {
                String cmd = Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"));
                Path cwd = Files.readSymbolicLink(Path.of("/proc", String.valueOf(p.pid()), "cwd"));
                return cmd.contains(mainClass) && cwd.startsWith(c.home());
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }).map(ProcessHandle::pid).findFirst();
    }

    /** Runs the launcher as a user does, its output in this test's output (failsafe keeps a forked JVM's own stdout). */
    static int questlog(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                c.root().resolve("stack/target/questlog-stack.jar").toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var out = p.inputReader()) {
            out.lines().forEach(l -> System.out.println("  questlog " + args[0] + ": " + l));
        }
        return p.waitFor();
    }
}
