package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.questlog.loadgen.manifest.Manifest;
import io.questlog.loadgen.marketing.MarketingAnswers;
import io.questlog.loadgen.send.EventSender;
import io.questlog.loadgen.simulate.MarketingSimulator;
import io.questlog.loadgen.simulate.UserEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The marketing seeds end to end, on a stack of their own: weeks of generated marketing events, half imported
 * from a landing zone (`questlog import`, with bad lines), half sent by `questlog load users --scenario marketing`;
 * then the named queries (attribution, top campaigns, popular channel, organic share) against ground truth
 * computed in plain Java from the same events, and the staging checks.
 */
class MarketingIT {
    static final Path HOME = Path.of("target/questlog-marketing").toAbsolutePath();
    static final Path OUTPUT = Path.of("target/marketing-output").toAbsolutePath();
    static final Path LANDING = Path.of("target/marketing-landing").toAbsolutePath();
    static final String[] ENV = {"QUESTLOG_HOME", HOME.toString(), "QUESTLOG_PORT_OFFSET", "22000", "QUESTLOG_OUTPUT", OUTPUT.toString()};
    static List<UserEvent> all = new ArrayList<>();
    static AnalystsIT.Run firstImport;

    @BeforeAll
    static void upImportAndLoad() throws Exception {
        E2eStack.wipe(HOME.resolve("data"));
        E2eStack.wipe(LANDING);
        assertThat(run("up").rc()).isZero();

        // six weeks of 250 users into the landing zone, with two lines the API would refuse
        List<UserEvent> imported = MarketingSimulator.simulate(new MarketingSimulator.Spec(250, Duration.ofDays(42), 20261202),
                Instant.now().toEpochMilli());
        Files.createDirectories(LANDING.resolve("pending"));
        List<String> lines = new ArrayList<>(EventSender.ndjson(imported).lines().toList());
        lines.add(lines.size() / 2, "{\"event_type\":\"purchase\",\"revenue\":\"1.00\"}"); // no user
        lines.add(lines.size() / 3, "{not json");
        Files.write(LANDING.resolve("pending/marketing.ndjson"), lines);
        firstImport = run("import", "--from", LANDING.toString());
        assertThat(firstImport.rc()).as(firstImport.out()).isZero();
        all.addAll(imported);

        Path manifest = HOME.resolve("marketing-manifest.ndjson");
        Files.deleteIfExists(manifest);
        AnalystsIT.Run load = run("load", "users", "--scenario", "marketing", "--users", "150", "--hours", "42d", "--seed", "7",
                "--manifest", manifest.toString());
        assertThat(load.rc()).as(load.out()).isZero();
        all.addAll(Manifest.read(manifest));
        // every event exactly once: wait until the count reaches it, then it must be exactly it
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(3)).ignoreExceptions()
                .until(() -> Long.parseLong(rows(csv("total_events")).get(0).get(0)) >= all.size());
        assertThat(rows(csv("total_events")).get(0).get(0)).isEqualTo(String.valueOf(all.size()));
    }

    @AfterAll
    static void down() throws Exception {
        if (!"true".equals(System.getenv("QUESTLOG_KEEP_STACK"))) run("down");
    }

    @Test
    void importMovesTheFileAndKeepsTheRejectsBesideIt() throws Exception {
        Path processed = LANDING.resolve("processed/dt=" + LocalDate.now(ZoneOffset.UTC));
        assertThat(LANDING.resolve("pending/marketing.ndjson")).doesNotExist();
        assertThat(processed.resolve("marketing.ndjson")).exists();
        assertThat(Files.readAllLines(processed.resolve("marketing.ndjson.rejects.ndjson"))).hasSize(2);
        // a second run finds nothing to import, and the tables do not grow
        AnalystsIT.Run again = run("import", "--from", LANDING.toString());
        assertThat(again.rc()).as(again.out()).isZero();
        assertThat(rows(csv("total_events")).get(0).get(0)).isEqualTo(String.valueOf(all.size()));
    }

    @Test
    void purchaseAttributionIsEachPurchasesSession() throws Exception {
        Map<String, String> expected = new TreeMap<>();
        MarketingAnswers.attribution(all).forEach(a -> expected.put(a.purchaseId(), a.campaignId() + "|" + a.channelId()));
        Map<String, String> actual = new TreeMap<>();
        for (List<String> r : rows(csv("purchase_attribution"))) {
            actual.put(r.get(0), (r.get(5).isEmpty() ? "null" : r.get(5)) + "|" + (r.get(6).isEmpty() ? "null" : r.get(6)));
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(expected.values()).contains("null|null"); // purchases outside any session are in the answer too
    }

    @Test
    void topCampaignsByRevenueAndThePopularChannel() throws Exception {
        Map<String, BigDecimal> campaigns = new LinkedHashMap<>();
        rows(csv("top_campaigns")).forEach(r -> campaigns.put(r.get(0), new BigDecimal(r.get(1))));
        assertThat(campaigns).containsExactlyEntriesOf(MarketingAnswers.revenueByCampaign(all));
        Map<String, Long> channels = new TreeMap<>();
        List<List<String>> rows = rows(csv("popular_channel"));
        rows.forEach(r -> channels.put(r.get(0), Long.parseLong(r.get(1))));
        Map<String, Long> expected = MarketingAnswers.sessionsByChannel(all);
        assertThat(channels).isEqualTo(expected);
        long most = expected.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        String first = expected.entrySet().stream().filter(e -> e.getValue() == most).map(Map.Entry::getKey).sorted().findFirst().orElseThrow();
        assertThat(rows.get(0).get(0)).as("the most popular channel comes first").isEqualTo(first);
    }

    @Test
    void organicShareIsEveryWeekOfEveryCountry() throws Exception {
        List<String> expected = MarketingAnswers.organicShare(all).stream()
                .map(o -> String.join(",", o.country(), o.week().toString(), String.valueOf(o.newUsers()), String.valueOf(o.organicUsers()),
                        String.valueOf(o.newUsers4w()), String.valueOf(o.organicUsers4w()),
                        o.share() == null ? "" : BigDecimal.valueOf(o.share()).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()))
                .toList();
        List<String> actual = rows(csv("organic_share")).stream()
                .map(r -> Stream.concat(r.subList(0, 6).stream(),
                        Stream.of(r.get(6).isEmpty() ? "" : new BigDecimal(r.get(6)).stripTrailingZeros().toPlainString())).collect(Collectors.joining(",")))
                .toList();
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void stagingChecksPass() throws Exception {
        AnalystsIT.Run check = run("check");
        assertThat(check.rc()).as(check.out()).isZero();
        assertThat(check.out()).contains("PASS marketing_events_shape", "PASS organic_share_complete", "PASS no_duplicate_event_id");
    }

    static String csv(String query) throws Exception {
        AnalystsIT.Run r = run("query", query, "--csv");
        assertThat(r.rc()).as(r.out()).isZero();
        return r.out();
    }

    static List<List<String>> rows(String csv) {
        return csv.lines().skip(1).filter(l -> !l.isBlank()).map(l -> List.of(l.split(",", -1))).toList();
    }

    static AnalystsIT.Run run(String... args) throws IOException, InterruptedException {
        return AnalystsIT.questlogAt(ENV, args);
    }
}
