package io.questlog.stack.analysts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report page in a real headless Chromium: it loads without errors and every chart has data. */
class ReportTest {
    @Test
    void pivotFillsMissingMinutesWithZero() {
        Report.Chart c = Report.pivot("m", "t", List.of(List.of("minute", "event_type", "events"),
                List.of("2026-11-23 10:00:00.000", "default", "3"), List.of("2026-11-23 10:01:00.000", "default", "1"),
                List.of("2026-11-23 10:01:00.000", "join_guild", "2")));
        assertThat(c.labels()).containsExactly("10:00", "10:01");
        assertThat(c.series()).containsEntry("default", List.of(3.0, 1.0)).containsEntry("join_guild", List.of(0.0, 2.0));
    }

    @Test
    void dataCannotBreakOutOfThePage() throws Exception {
        List<String> hostile = List.of("<!--<script>", "</script><script>alert(1)</script>", "a & b \"q\"");
        List<List<String>> rows = new java.util.ArrayList<>(List.of(List.of("device_family", "</script>sessions")));
        hostile.forEach(h -> rows.add(List.of(h, "1")));
        List<Report.Chart> charts = List.of(Report.simple("sessions_by_device_family", "<!-- title </script>", "bar", rows));
        String page = Report.render(charts, "from </script><!-- subtitle");

        // only the page's own three script blocks open and close; no comment opener from the data
        assertThat(page.split("</script>", -1)).hasSize(4);
        assertThat(page.split("<script>", -1)).hasSize(4);
        assertThat(page).doesNotContain("<!--").contains("from &lt;/script&gt;&lt;!-- subtitle");
        // the embedded JSON still means the same values
        String json = page.substring(page.indexOf("const charts = ") + 15, page.indexOf(";\nconst palette"));
        var back = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).get(0);
        assertThat(back.get("title").asText()).isEqualTo("<!-- title </script>");
        assertThat(back.get("labels")).extracting(com.fasterxml.jackson.databind.JsonNode::asText).containsExactlyElementsOf(hostile);
    }

    @Test
    void pageRendersEveryChartInHeadlessChromium() throws Exception {
        List<Report.Chart> charts = List.of(
                Report.pivot("events_per_minute", "Events per minute", List.of(List.of("minute", "event_type", "events"),
                        List.of("2026-11-23 10:00:00.000", "default", "3"), List.of("2026-11-23 10:01:00.000", "join_guild", "2"))),
                Report.simple("sessions_by_device_family", "Sessions per device_family", "bar",
                        List.of(List.of("device_family", "sessions"), List.of("iPhone", "42"), List.of("Other", "7"))),
                new Report.Chart("empty_one", "No data", "bar", List.of(), Map.of("n", List.of())));
        Path dir = Files.createDirectories(Path.of("target/report-test"));
        Path page = Report.write(dir, Report.render(charts, "test <page>"));
        assertThat(Files.readString(page)).doesNotContain("http://", "https://cdn").contains("test &lt;page&gt;");

        HeadlessChromium chromium = new HeadlessChromium();
        String dom = chromium.dumpDom(page);
        assertThat(dom).contains("data-ready=\"true\"").contains("<div id=\"errors\"></div>");
        assertThat(dom).containsPattern("<canvas id=\"events_per_minute\"[^>]* data-status=\"ok\" data-points=\"2\"")
                .containsPattern("<canvas id=\"sessions_by_device_family\"[^>]* data-status=\"ok\" data-points=\"2\"")
                .containsPattern("<canvas id=\"empty_one\"[^>]* data-status=\"empty\"");
        Path png = dir.resolve("report.png");
        chromium.screenshot(page, png, 1280, 1400);
        assertThat(Files.size(png)).isGreaterThan(10_000);
    }
}
