package io.questlog.e2e;

import static java.util.stream.Collectors.counting;
import static java.util.stream.Collectors.groupingBy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.questlog.loadgen.manifest.Manifest;
import io.questlog.stack.analysts.HeadlessChromium;
import io.questlog.loadgen.sessions.ExpectedSession;
import io.questlog.loadgen.sessions.ExpectedSessions;
import io.questlog.loadgen.simulate.UserEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The analysts' commands exactly as typed (`questlog query|sessions|check|report`), on a stack of
 * their own fed by the user generator, checked against ground truth computed from the generator's
 * manifest without Spark or SQL (loadgen's ExpectedSessions).
 */
class AnalystsIT {
    static final Duration GAP = Duration.ofMinutes(30);
    static final Duration WATERMARK = Duration.ofMinutes(10);
    static final Path HOME = Path.of("target/questlog-analysts").toAbsolutePath();
    static final Path OUTPUT = Path.of("target/analysts-output").toAbsolutePath();
    static List<UserEvent> sent;
    static List<ExpectedSession> closed;

    record Run(int rc, String out) {}

    @BeforeAll
    static void upAndLoad() throws Exception {
        E2eStack.wipe(HOME.resolve("data"));
        E2eStack.wipe(OUTPUT);
        assertThat(questlog("up").rc()).isZero();
        Path manifest = HOME.resolve("manifest.ndjson");
        Files.deleteIfExists(manifest);
        Run load = questlog("load", "users", "--users", "60", "--hours", "3", "--seed", "20261123", "--manifest", manifest.toString());
        assertThat(load.rc()).as(load.out()).isZero();
        sent = Manifest.read(manifest);
        // the stream emits a session once the watermark (newest event time - 10 min) passes its end + gap
        long newest = sent.stream().mapToLong(UserEvent::eventTs).max().orElseThrow();
        closed = ExpectedSessions.compute(sent, GAP).stream()
                .filter(s -> s.sessionEnd() + GAP.toMillis() <= newest - WATERMARK.toMillis()).toList();
        assertThat(sent).hasSizeGreaterThan(500);
        assertThat(closed).hasSizeGreaterThan(20);
        waitFor("total_events", String.valueOf(sent.size()));
        waitFor("session_length", closed.size() + ",");
    }

    @AfterAll
    static void down() throws Exception {
        if (!"true".equals(System.getenv("QUESTLOG_KEEP_STACK"))) questlog("down");
    }

    @Test
    void eventsPerTypeMatchWhatTheGeneratorSent() throws Exception {
        Map<String, Long> expected = new TreeMap<>(sent.stream().collect(groupingBy(UserEvent::eventType, counting())));
        assertThat(csvMap(query("events_per_type"))).isEqualTo(expected);
    }

    @Test
    void sessionsPerFamilyMatchTheGapRule() throws Exception {
        assertThat(csvMap(query("sessions_by_device_family"))).isEqualTo(expectedBy(ExpectedSession::deviceFamily));
        assertThat(csvMap(query("sessions_by_os_family"))).isEqualTo(expectedBy(ExpectedSession::osFamily));
        assertThat(csvMap(query("sessions_by_browser_family"))).isEqualTo(expectedBy(ExpectedSession::browserFamily));
    }

    @Test
    void sessionsJsonHasTheChallengeShapeSortedByCount() throws Exception {
        Run r = questlog("sessions", "--group-key", "device_family");
        assertThat(r.rc()).as(r.out()).isZero();
        Map<String, Long> json = new ObjectMapper().readValue(OUTPUT.resolve("sessions_by_device_family.json").toFile(),
                new TypeReference<LinkedHashMap<String, Long>>() {});
        Map<String, Long> expected = new LinkedHashMap<>();
        expectedBy(ExpectedSession::deviceFamily).entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .forEach(e -> expected.put(e.getKey(), e.getValue()));
        assertThat(new ArrayList<>(json.entrySet())).containsExactlyElementsOf(expected.entrySet());

        Run bad = questlog("sessions", "--group-key", "shoe_size");
        assertThat(bad.rc()).isNotZero();
        assertThat(bad.out()).contains("unknown group key 'shoe_size'", "browser_family, os_family, device_family");
    }

    @Test
    void sessionFiguresMatchGroundTruth() throws Exception {
        double avgDuration = closed.stream().mapToLong(ExpectedSession::durationSeconds).average().orElseThrow();
        double avgEvents = closed.stream().mapToInt(ExpectedSession::eventCount).average().orElseThrow();
        assertThat(csvRows(query("session_length")).get(0)).containsExactly(String.valueOf(closed.size()),
                String.valueOf(Math.round(avgDuration * 10) / 10.0), String.valueOf(Math.round(avgEvents * 100) / 100.0));
        long withPurchase = closed.stream().filter(s -> s.purchaseCount() > 0).count();
        assertThat(csvRows(query("sessions_with_purchase")).get(0).subList(0, 2))
                .containsExactly(String.valueOf(closed.size()), String.valueOf(withPurchase));
    }

    @Test
    void purchaseQuestionsMatchGroundTruth() throws Exception {
        Map<String, Long> swords = sent.stream().filter(e -> e.eventType().equals("purchase_sword"))
                .collect(groupingBy(e -> e.attributes().get("sword_type"), counting()));
        long most = swords.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        String top = swords.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
        assertThat(csvRows(query("top_sword_type"))).containsExactly(List.of(top, String.valueOf(most)));

        Map<String, Double> spent = sent.stream().filter(e -> e.eventType().equals("purchase_sword"))
                .collect(groupingBy(UserEvent::userId, TreeMap::new,
                        java.util.stream.Collectors.summingDouble(e -> Double.parseDouble(e.attributes().get("price")))));
        var topSpender = spent.entrySet().stream().max(Map.Entry.<String, Double>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow();
        List<String> first = csvRows(query("top_spenders")).get(0);
        assertThat(first.get(0)).isEqualTo(topSpender.getKey());
        assertThat(Double.parseDouble(first.get(2))).isEqualTo(topSpender.getValue());
    }

    @Test
    void batchRecomputeAgreesWithTheStream() throws Exception {
        Run r = questlog("sessions", "--batch");
        assertThat(r.out()).contains("matched=" + closed.size() + " only-stream=0 only-batch=0");
        assertThat(r.rc()).isZero();
    }

    @Test
    void qualityChecksPass() throws Exception {
        Run r = questlog("check");
        assertThat(r.out()).contains("PASS no_duplicate_event_id", "PASS sessions_add_up", "PASS no_dt_gaps",
                "routed_in_events:sword_purchases").doesNotContain("FAIL");
        assertThat(r.rc()).isZero();
    }

    @Test
    void reportPageShowsEveryChartWithData() throws Exception {
        Run r = questlog("report");
        assertThat(r.rc()).as(r.out()).isZero();
        Path page = OUTPUT.resolve("report.html");
        HeadlessChromium chromium = new HeadlessChromium();
        String dom = chromium.dumpDom(page);
        assertThat(dom).contains("data-ready=\"true\"", "<div id=\"errors\"></div>");
        for (String chart : List.of("events_per_minute", "sessions_by_browser_family", "sessions_by_os_family",
                "sessions_by_device_family", "host_sword_purchases", "session_length_distribution")) {
            assertThat(dom).containsPattern("<canvas id=\"" + chart + "\"[^>]* data-status=\"ok\"");
        }
        chromium.screenshot(page, Path.of("target/report.png"), 1280, 1800); // for reviewers
    }

    // ---- helpers ----

    static Map<String, Long> expectedBy(Function<ExpectedSession, String> key) {
        return new TreeMap<>(closed.stream().collect(groupingBy(key, counting())));
    }

    static String query(String name) throws Exception {
        Run r = questlog("query", name, "--csv");
        assertThat(r.rc()).as(r.out()).isZero();
        return r.out();
    }

    /** Data rows of CSV output (no quoted commas in these answers). */
    static List<List<String>> csvRows(String csv) {
        return csv.lines().skip(1).filter(l -> !l.isBlank()).map(l -> List.of(l.split(",", -1))).toList();
    }

    static Map<String, Long> csvMap(String csv) {
        Map<String, Long> m = new TreeMap<>();
        csvRows(csv).forEach(r -> m.put(r.get(0), Long.parseLong(r.get(1))));
        return m;
    }

    static void waitFor(String query, String firstRowPrefix) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            await().atMost(Duration.ofMinutes(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2)).until(() -> {
                last.set(csvRows(query(query)).stream().findFirst().map(r -> String.join(",", r)).orElse(""));
                return last.get().startsWith(firstRowPrefix);
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(query + " never reached " + firstRowPrefix + " (last: " + last.get() + "); see " + HOME.resolve("logs"));
        }
    }

    /** `./questlog ARGS` with this test's own home, ports and output folder. */
    static Run questlog(String... args) throws IOException, InterruptedException {
        return questlogAt(new String[] {"QUESTLOG_HOME", HOME.toString(), "QUESTLOG_PORT_OFFSET", "21000", "QUESTLOG_OUTPUT", OUTPUT.toString()}, args);
    }

    /** `./questlog ARGS` with the given variables (name, value, ...): a test's own home, ports and output folder. */
    static Run questlogAt(String[] env, String... args) throws IOException, InterruptedException {
        Path root = Path.of(System.getenv("QUESTLOG_ROOT")).toAbsolutePath().normalize();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", root.resolve("stack/target/questlog-stack.jar").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true);
        for (int i = 0; i < env.length; i += 2) pb.environment().put(env[i], env[i + 1]);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        System.out.println("$ questlog " + String.join(" ", args) + " -> " + rc + "\n" + out);
        return new Run(rc, out);
    }
}
