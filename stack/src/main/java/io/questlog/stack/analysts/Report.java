package io.questlog.stack.analysts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `./questlog report`: output/report.html, one self-contained page (Chart.js inlined, data embedded)
 * with the analysts' charts, built from the named queries' results through Trino.
 */
public final class Report {
    /** One chart: x labels and one or more named series of numbers. */
    public record Chart(String id, String title, String type, List<String> labels, Map<String, List<Double>> series) {}

    private static final String CHART_JS = "/META-INF/resources/webjars/chart.js/4.4.1/dist/chart.umd.js";

    private Report() {}

    public static List<Chart> build(Trino trino, NamedQueries queries) throws IOException {
        List<Chart> charts = new ArrayList<>();
        charts.add(pivot("events_per_minute", queries.title("events_per_minute"), trino.query(queries.sql("events_per_minute"))));
        for (String k : SessionCounts.KEYS) {
            String name = "sessions_by_" + k;
            charts.add(simple(name, queries.title(name), "bar", trino.query(queries.sql(name))));
        }
        List<List<String>> hosts = trino.query(queries.sql("host_sword_purchases"));
        charts.add(simple("host_sword_purchases", "Top hosts by sword purchases", "bar", hosts.subList(0, Math.min(hosts.size(), 11))));
        charts.add(simple("session_length_distribution", queries.title("session_length_distribution"), "bar",
                trino.query(queries.sql("session_length_distribution"))));
        return charts;
    }

    /** Rows of (label, value) into a one-series chart. */
    static Chart simple(String id, String title, String type, List<List<String>> rows) {
        List<String> labels = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            labels.add(r.get(0) == null ? "NULL" : r.get(0));
            values.add(Double.parseDouble(r.get(1)));
        }
        return new Chart(id, title, type, labels, Map.of(rows.get(0).get(1), values));
    }

    /** Rows of (x, series, value) into a line chart with one line per series, zero where a series has no row. */
    static Chart pivot(String id, String title, List<List<String>> rows) {
        List<String> labels = new ArrayList<>();
        Map<String, Map<String, Double>> bySeries = new LinkedHashMap<>();
        for (List<String> r : rows.subList(1, rows.size())) {
            String x = r.get(0).length() >= 16 ? r.get(0).substring(11, 16) : r.get(0); // HH:mm of a timestamp
            if (!labels.contains(x)) labels.add(x);
            bySeries.computeIfAbsent(r.get(1), k -> new LinkedHashMap<>()).put(x, Double.parseDouble(r.get(2)));
        }
        Map<String, List<Double>> series = new LinkedHashMap<>();
        bySeries.forEach((s, m) -> series.put(s, labels.stream().map(x -> m.getOrDefault(x, 0.0)).toList()));
        return new Chart(id, title, "line", labels, series);
    }

    public static String render(List<Chart> charts, String subtitle) throws IOException {
        String chartJs;
        try (InputStream in = Report.class.getResourceAsStream(CHART_JS)) {
            if (in == null) throw new IOException("Chart.js missing from the classpath (" + CHART_JS + ")");
            chartJs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String data;
        try {
            data = scriptSafe(new ObjectMapper().writeValueAsString(charts));
        } catch (JsonProcessingException e) {
            throw new IOException(e);
        }
        return """
                <!doctype html>
                <html lang="en"><head><meta charset="utf-8"><title>Questlog report</title>
                <style>
                  body { font-family: system-ui, sans-serif; margin: 24px; background: #fafafa; color: #222; }
                  h1 { margin: 0 0 4px; } .sub { color: #666; margin-bottom: 20px; }
                  .grid { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 20px; }
                  .card { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 12px 16px; }
                  .card.wide { grid-column: 1 / -1; } .card h2 { font-size: 16px; margin: 0 0 8px; }
                  #errors { color: #b00; white-space: pre-wrap; }
                </style>
                <script>window.reportErrors = []; window.onerror = function (m) { window.reportErrors.push(String(m)); };</script>
                <script>%s</script>
                </head><body>
                <h1>Questlog</h1><div class="sub">%s</div>
                <div id="errors"></div>
                <div class="grid" id="charts"></div>
                <script>
                const charts = %s;
                const palette = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f'];
                for (const c of charts) {
                  const card = document.createElement('div');
                  card.className = 'card' + (c.type === 'line' ? ' wide' : '');
                  card.innerHTML = '<h2></h2><canvas></canvas>';
                  card.querySelector('h2').textContent = c.title;
                  const canvas = card.querySelector('canvas');
                  canvas.id = c.id;
                  document.getElementById('charts').appendChild(card);
                  try {
                    const datasets = Object.entries(c.series).map(([label, data], i) => ({
                      label, data, borderColor: palette[i %% palette.length],
                      backgroundColor: palette[i %% palette.length], fill: false, tension: 0.2 }));
                    new Chart(canvas, { type: c.type, data: { labels: c.labels, datasets },
                      options: { animation: false, responsive: true, plugins: { legend: { display: datasets.length > 1 } } } });
                    const points = datasets.reduce((n, d) => n + d.data.filter(v => v > 0).length, 0);
                    canvas.dataset.status = points > 0 ? 'ok' : 'empty';
                    canvas.dataset.points = points;
                  } catch (e) { window.reportErrors.push(c.id + ': ' + e); canvas.dataset.status = 'error'; }
                }
                document.getElementById('errors').textContent = window.reportErrors.join('\\n');
                document.body.dataset.ready = 'true';
                </script>
                </body></html>
                """.formatted(chartJs, escape(subtitle), data);
    }

    public static Path write(Path outputDir, String html) throws IOException {
        Files.createDirectories(outputDir);
        Path f = outputDir.resolve("report.html");
        Files.writeString(f, html);
        return f;
    }

    /** Text for HTML element content or a quoted attribute. */
    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /**
     * JSON to embed in a script block: with no `<` left, data cannot close the block (`</script>`) or switch
     * the parser into its comment-like state (`<!--<script>`), which would swallow our own closing tag.
     * In JSON these characters only occur inside strings, where the escapes mean the same.
     */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }
}
