package io.questlog.loadgen.ab;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Runs loadgen/ab/game-traffic.sh against a stand-in of ingest-api's game endpoints. */
class GameTrafficScriptTest {
    private static final Path SCRIPT = Path.of("ab/game-traffic.sh").toAbsolutePath();
    private static final Map<String, String> ANSWERS = Map.of(
            "/", "This is the default response!",
            "/purchase_a_sword", "Sword Purchased!",
            "/join_a_guild", "Joined a Guild!");

    @TempDir
    Path dir;
    private HttpServer server;
    private ExecutorService executor;
    /** "host path" -> requests answered 200 */
    private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        executor = Executors.newFixedThreadPool(8);
        server.setExecutor(executor);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            String answer = ANSWERS.get(path);
            byte[] body = (answer == null ? "not found" : answer).getBytes(StandardCharsets.UTF_8);
            int status = answer == null ? 404 : 200;
            if (status == 200) {
                served.computeIfAbsent(ex.getRequestHeaders().getFirst("Host") + " " + path, k -> new AtomicInteger())
                        .incrementAndGet();
            }
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }

    private static boolean abInstalled() {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, "ab")));
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("QUESTLOG_"));
        pb.environment().putAll(env);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("script finished").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")));
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static List<Map<String, String>> tally(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.get(0).split("\t");
        return lines.stream().skip(1).map(l -> {
            String[] f = l.split("\t", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length; i++) row.put(header[i], f[i]);
            return row;
        }).toList();
    }

    @Test
    void exactRequestCountsPerHostAndEndpointLandInTheTally() throws Exception {
        assumeTrue(abInstalled(), "ab not installed (apt-get install -y apache2-utils)");
        Path tallyFile = dir.resolve("tally/run.tsv");
        Run r = run(Map.of("QUESTLOG_INGEST_URL", url()), "-n", "7", "-c", "3",
                "--hosts", "user1.comcast.com user2.att.com", "--tally", tallyFile.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();

        List<Map<String, String>> rows = tally(tallyFile);
        assertThat(rows).hasSize(6);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row).containsEntry("complete_requests", "7").containsEntry("failed_requests", "0")
                    .containsEntry("non_2xx", "0").containsEntry("accepted", "7").containsEntry("status", "ok");
            String path = row.get("endpoint").replaceAll("\\?.*", "");
            assertThat(served.get(row.get("host") + " " + path)).as(row.toString()).hasValue(7);
        });
        assertThat(rows).extracting(row -> row.get("endpoint") + " " + row.get("event_type")).contains(
                "/ default", "/purchase_a_sword?sword_type=longsword&price=20 purchase_sword",
                "/join_a_guild?guild_name=Knights%20of%20Ni join_guild");
        assertThat(r.out()).contains("TOTAL", "accepted events by type:", "default=14", "purchase_sword=14", "join_guild=14");
    }

    @Test
    void non2xxAnswersAreNotCountedAsAccepted() throws Exception {
        assumeTrue(abInstalled(), "ab not installed (apt-get install -y apache2-utils)");
        Path tallyFile = dir.resolve("t.tsv");
        Run r = run(Map.of("QUESTLOG_INGEST_URL", url(), "QUESTLOG_AB_HOSTS", "h.example",
                        "QUESTLOG_AB_ENDPOINTS", "/purchase_a_sword?sword_type=katana /no_such_thing"),
                "-n", "4", "-c", "2", "--tally", tallyFile.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(tally(tallyFile)).extracting(row -> row.get("event_type") + " " + row.get("non_2xx") + " " + row.get("accepted"))
                .containsExactly("purchase_sword 0 4", "unknown 4 0");
    }

    @Test
    void timedModeStopsByItselfAndCountsAtMostWhatTheServerSaw() throws Exception {
        assumeTrue(abInstalled(), "ab not installed (apt-get install -y apache2-utils)");
        Path tallyFile = dir.resolve("t.tsv");
        long t0 = System.nanoTime();
        Run r = run(Map.of("QUESTLOG_INGEST_URL", url()), "-t", "1", "-c", "2", "--hosts", "timed.example",
                "--endpoints", "/", "--tally", tallyFile.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(20_000);
        Map<String, String> row = tally(tallyFile).get(0);
        int accepted = Integer.parseInt(row.get("accepted"));
        int seen = served.get("timed.example /").get();
        assertThat(accepted).isPositive().isLessThanOrEqualTo(seen);
        assertThat(seen - accepted).isLessThanOrEqualTo(2);   // in flight at the time limit, at most -c
    }

    @Test
    void serverDownIsAnAbErrorWithExitStatus1() throws Exception {
        assumeTrue(abInstalled(), "ab not installed (apt-get install -y apache2-utils)");
        String deadUrl;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            deadUrl = "http://127.0.0.1:" + s.getLocalPort();
        }
        Path tallyFile = dir.resolve("t.tsv");
        Run r = run(Map.of(), "-n", "2", "--url", deadUrl, "--hosts", "x.example", "--endpoints", "/",
                "--tally", tallyFile.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("ab failed for Host: x.example");
        assertThat(tally(tallyFile)).singleElement().satisfies(row ->
                assertThat(row).containsEntry("status", "ab_error").containsEntry("accepted", "0"));
    }

    @Test
    void missingAbFailsWithTheInstallHint() throws Exception {
        Run r = run(Map.of("QUESTLOG_AB", dir.resolve("no-such-ab").toString()), "-n", "1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("ab not found: apt-get install -y apache2-utils");
    }

    @Test
    void helpAndBadUsage() throws Exception {
        Run help = run(Map.of(), "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage:", "--tally FILE", "-n, --requests N", "QUESTLOG_AB_HOSTS");
        Run bad = run(Map.of(), "-t", "5", "-n", "3", "-c", "0");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("either -t (duration) or -n (requests)", "-c/QUESTLOG_AB_CONCURRENCY=0");
    }
}
