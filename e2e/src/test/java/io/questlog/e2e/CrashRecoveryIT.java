package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.loadgen.sessions.ExpectedSessions;
import io.questlog.loadgen.simulate.UserEvent;
import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.Supervisor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactly once as Trino sees it, through crashes: under continuous load through the ingest API,
 * SIGKILL the stream-writer (the spark-submit JVM and any children) at random points, restart it with
 * the Supervisor, and check that every table holds each acknowledged event once: none missing, none twice.
 * Kills alternate between a random point soon after a restart (start-up, replay) and a random point of a
 * steady trigger cycle (idle, mid-batch, mid-publish). Event times run on a clock 40 times faster than
 * the wall clock, starting 4 hours back, and users come in cohorts that go quiet, so sessions close
 * during the run and each closed session is checked against the acknowledged events.
 * Seed with QUESTLOG_CRASH_SEED to repeat a run's kill points; QUESTLOG_CRASH_KILLS (default 5).
 */
class CrashRecoveryIT {
    static final String PREFIX = "crash-";
    static final Duration GAP = Duration.ofMinutes(30);
    static final Duration WATERMARK = Duration.ofMinutes(10); // the stream-writer's default
    static final long SPEED = 40;
    static final long COHORT_MS = Duration.ofMinutes(20).toMillis(); // event time a cohort of users stays active

    final StackConfig c;
    final Supervisor sup;
    final Trino trino;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final Map<String, UserEvent> acked = new ConcurrentHashMap<>(); // by event_id
    final long realStart = System.currentTimeMillis();
    final long simStart = realStart - Duration.ofHours(4).toMillis();
    final AtomicLong failedRequests = new AtomicLong();
    final AtomicBoolean loading = new AtomicBoolean(true);

    @BeforeAll
    static void up() throws Exception {
        E2eStack.up();
    }

    @AfterAll
    static void down() throws Exception {
        E2eStack.down();
    }

    CrashRecoveryIT() {
        c = E2eStack.config();
        sup = E2eStack.supervisor();
        trino = E2eStack.trino();
    }

    @Test
    void everyAcknowledgedEventIsInEveryTableOnceAfterRepeatedSigkills() throws Exception {
        long seed = Long.parseLong(System.getenv().getOrDefault("QUESTLOG_CRASH_SEED", String.valueOf(System.nanoTime())));
        int kills = Integer.parseInt(System.getenv().getOrDefault("QUESTLOG_CRASH_KILLS", "5"));
        Random random = new Random(seed);
        Part writer = E2eStack.part("stream-writer");
        System.out.println("crash test: seed=" + seed + " kills=" + kills);

        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int thread = t;
            Thread s = new Thread(() -> send(thread), "load-" + t);
            s.start();
            senders.add(s);
        }
        long t0 = System.currentTimeMillis();
        List<String> killLog = new ArrayList<>();
        for (int k = 1; k <= kills; k++) {
            if (k % 2 == 1) {
                Thread.sleep(1_000 + random.nextInt(8_000)); // start-up, replay of the interrupted batch
            } else {
                awaitNextBatch(Duration.ofMinutes(2)); // then anywhere in the next trigger cycle
                Thread.sleep(random.nextInt(5_000));
            }
            ProcessHandle job = sup.running(writer).orElseThrow(() -> new AssertionError("stream-writer is not running"));
            List<ProcessHandle> tree = new ArrayList<>(job.descendants().toList());
            tree.add(job);
            tree.forEach(ProcessHandle::destroyForcibly); // SIGKILL: no shutdown hook, no cleanup
            for (ProcessHandle h : tree) h.onExit().get();
            String line = String.format("kill %d at %5.1f s: pid %d (%d processes), %d events acknowledged so far",
                    k, (System.currentTimeMillis() - t0) / 1000.0, job.pid(), tree.size(), acked.size());
            System.out.println(line);
            killLog.add(line);
            sup.up(List.of(writer)); // starts only the part that is down, waits for its queries to run
        }
        // the kills alone can take less time than sessions need to close (a run with 5 quick kills lasted 82 s: 55
        // minutes of event time, no session closed): load on until the first two cohorts' sessions are past the watermark
        long closeAt = simStart + 2 * COHORT_MS + GAP.toMillis() + WATERMARK.toMillis();
        while (eventTime() < closeAt) Thread.sleep(200);
        Thread.sleep(5_000);
        loading.set(false);
        for (Thread s : senders) s.join();

        long expected = acked.size();
        long purchases = acked.values().stream().filter(e -> e.eventType().equals("purchase_sword")).count();
        long joins = acked.values().stream().filter(e -> e.eventType().equals("join_guild")).count();
        // the stream closes a session once the watermark (newest event time - 10 min) passes its end + gap
        long newest = acked.values().stream().mapToLong(UserEvent::eventTs).max().orElseThrow();
        List<String> closed = ExpectedSessions.compute(acked.values(), GAP).stream()
                .filter(s -> s.sessionEnd() + GAP.toMillis() <= newest - WATERMARK.toMillis())
                .map(AckedLoad::row).sorted().toList();
        String where = " WHERE user_id LIKE '" + PREFIX + "%'";
        E2eStack.awaitCount("SELECT count(*) FROM events" + where, expected, Duration.ofMinutes(4));
        E2eStack.awaitCount("SELECT count(*) FROM sword_purchases" + where, purchases, Duration.ofMinutes(4));
        E2eStack.awaitCount("SELECT count(*) FROM guild_joins" + where, joins, Duration.ofMinutes(4));
        E2eStack.awaitCount("SELECT count(*) FROM sessions" + where, closed.size(), Duration.ofMinutes(2));
        Thread.sleep(8_000); // a few more triggers: a late duplicate would show up now

        AckedLoad.Audit audit = AckedLoad.Audit.of(trino, PREFIX, acked.keySet());

        String summary = String.join("\n", killLog) + "\n" + String.format(
                "crash test (seed %d): kills=%d acknowledged=%d failed_requests=%d | events=%d duplicates=%d missing=%d "
                        + "unacknowledged=%d | sword_purchases=%d/%d duplicates=%d | guild_joins=%d/%d duplicates=%d | "
                        + "closed sessions=%d/%d duplicates=%d",
                seed, kills, expected, failedRequests.get(), audit.events(), audit.dupEvents(), audit.missing().size(),
                audit.unexpected().size(), audit.swords(), purchases, audit.dupSwords(), audit.guilds(), joins, audit.dupGuilds(),
                audit.sessions().size(), closed.size(), audit.dupSessions());
        System.out.println(summary);
        Files.writeString(Path.of("target/crash-recovery.txt"), summary + "\n");

        assertThat(expected).as("events acknowledged under load").isGreaterThan(1_000);
        assertThat(failedRequests.get()).as("requests the API did not acknowledge (the API is never killed)").isZero();
        audit.assertExactlyOnce(expected, purchases, joins);
        assertThat(closed).as("sessions closed during the run").hasSizeGreaterThan(10);
        assertThat(audit.sessions()).as("closed sessions (user, start, end, events, purchases, joins)").isEqualTo(closed);
    }

    /** Posts NDJSON batches of 25 fresh events (ids chosen here) until told to stop; records what got a 200. */
    void send(int thread) {
        long n = 0;
        while (loading.get()) {
            Map<String, UserEvent> batch = AckedLoad.batch(PREFIX, thread, n, 25, this::eventTime, simStart, COHORT_MS, 20);
            n += batch.size();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(c.ingestUrl() + "/events"))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(AckedLoad.ndjson(batch.values()))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    acked.putAll(batch);
                } else {
                    failedRequests.incrementAndGet();
                    System.err.println("ingest answered " + r.statusCode() + ": " + r.body());
                }
                Thread.sleep(40);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                failedRequests.incrementAndGet();
                System.err.println("ingest request failed: " + e);
            }
        }
    }

    /** Event time: 40x the wall clock from 4 hours back, never ahead of now. */
    long eventTime() {
        long now = System.currentTimeMillis();
        return Math.min(now, simStart + (now - realStart) * SPEED);
    }

    /** Returns once the stream-writer logs one more finished batch than when called. */
    void awaitNextBatch(Duration timeout) throws IOException, InterruptedException {
        long before = batchLines();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (batchLines() == before) {
            if (System.nanoTime() > deadline) throw new AssertionError("no batch finished in " + timeout + ": " + c.log("stream-writer"));
            Thread.sleep(100);
        }
    }

    long batchLines() throws IOException {
        try (var lines = Files.lines(c.log("stream-writer"))) {
            return lines.filter(l -> l.contains("[questlog] query=tables batch=") && l.contains(" rows_in=")).count();
        }
    }
}
