// bench/stream's helper, run as a single-file program: java -cp KAFKA_AND_TRINO_JARS StreamBench.java MODE ...
//   preload BOOTSTRAP N            N realistic envelopes (unique event_ids, ~40% game endpoints) straight to topic events
//   wait LOG QUERIES TIMEOUT_S     seconds from "stream-writer started" until every query logged kafka_lag=0 after a batch
//   fresh INGEST_URL TRINO_JDBC RATE PROBES WARMUP_S   steady load through the API; probe events' ack -> visible in a Trino count
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

public class StreamBench {
    static final String[] TYPES = {"default", "purchase_sword", "join_guild", "page_view", "level_up", "open_chest"};
    static final String[] UA = {"Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 Version/17.4 Mobile/15E148 Safari/604.1",
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0.0.0 Safari/537.36",
            "ApacheBench/2.3"};

    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "preload" -> preload(a[1], Long.parseLong(a[2]));
            case "wait" -> waitDone(Path.of(a[1]), List.of(a[2].split(",")), Long.parseLong(a[3]));
            case "fresh" -> fresh(a[1], a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]), Integer.parseInt(a[5]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static String envelope(Random r, long i, long now) {
        String type = TYPES[r.nextInt(TYPES.length)];
        String user = "bench-u" + r.nextInt(20_000);
        long ts = now - 600_000 + (i % 600_000); // the last ten minutes, in order
        String attrs = type.equals("purchase_sword") ? "{\"sword_type\":\"katana\",\"price\":\"35\"}"
                : type.equals("join_guild") ? "{\"guild_name\":\"Owls\"}" : "{}";
        return "{\"event_id\":\"" + UUID.randomUUID() + "\",\"event_type\":\"" + type + "\",\"user_id\":\"" + user
                + "\",\"event_ts\":" + ts + ",\"received_ts\":" + ts + ",\"host\":\"game.example\",\"user_agent\":\""
                + UA[r.nextInt(UA.length)] + "\",\"accept\":\"*/*\",\"headers\":{\"x-request-id\":\"r" + i
                + "\",\"accept-language\":\"en-US\"},\"browser_family\":\"Chrome\",\"os_family\":\"Windows\",\"device_family\":\"Other\""
                + ",\"attributes\":" + attrs + ",\"schema_version\":1}";
    }

    static void preload(String bootstrap, long n) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("linger.ms", "20");
        p.put("batch.size", "262144");
        p.put("compression.type", "lz4");
        p.put("acks", "all");
        Random r = new Random(7);
        long now = System.currentTimeMillis();
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
        try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            for (long i = 0; i < n; i++) {
                String v = envelope(r, i * 600_000 / n, now);
                producer.send(new ProducerRecord<>("events", "k" + (i % 20_000), v), (md, e) -> {
                    if (e != null && failed.getAndIncrement() == 0) System.err.println("preload: a send failed: " + e);
                });
            }
            producer.flush();
        }
        // the rates divide by N: every preloaded event must be in the topic
        if (failed.get() > 0) throw new IllegalStateException(failed.get() + " of " + n + " preloaded events were not acknowledged");
        System.out.printf("preloaded %d events in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }

    /** Seconds from the "started" line until each query printed kafka_lag=0 after reading rows. */
    static void waitDone(Path log, List<String> queries, long timeoutS) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutS * 1000;
        while (System.currentTimeMillis() < deadline) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            Instant started = null;
            Set<String> done = new HashSet<>();
            Instant last = null;
            long rows = 0;
            for (String l : lines) {
                if (l.contains("[questlog] stream-writer started")) started = Instant.now(); // replaced below by file order
                if (l.contains("[questlog] query=") && l.contains(" rows_in=")) rows += Long.parseLong(l.replaceAll(".* rows_in=(\\d+).*", "$1"));
                if (l.contains(" kafka_lag=0 ") || l.endsWith(" kafka_lag=0")) {
                    String q = l.replaceAll(".*query=(\\S+) .*", "$1");
                    if (queries.contains(q)) {
                        done.add(q);
                        last = Instant.parse(l.substring(0, l.indexOf(' ')));
                    }
                }
            }
            if (done.containsAll(queries)) {
                System.out.println("done_at=" + last + " rows_in_total=" + rows);
                return;
            }
            Thread.sleep(1000);
        }
        throw new IllegalStateException("timeout waiting for " + queries + " in " + log);
    }

    static long countOf(Connection c, String query) throws Exception {
        try (ResultSet rs = c.createStatement().executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static void fresh(String ingest, String trinoJdbc, int rate, int probes, int warmupSeconds) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        AtomicBoolean on = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            Random r = new Random(11);
            long sent = 0;
            long t0 = System.nanoTime();
            while (on.get()) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    b.append("{\"event_type\":\"").append(TYPES[r.nextInt(TYPES.length)]).append("\",\"anonymous_id\":\"load-u")
                            .append(r.nextInt(5000)).append("\"}\n");
                }
                try {
                    http.send(HttpRequest.newBuilder(URI.create(ingest + "/events")).header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(b.toString())).build(), HttpResponse.BodyHandlers.discarding());
                } catch (Exception e) {
                    System.err.println("load: " + e);
                }
                sent += 100;
                long ahead = (long) (sent * 1e9 / rate) - (System.nanoTime() - t0);
                if (ahead > 0) {
                    try {
                        Thread.sleep(ahead / 1_000_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        });
        load.start();
        // a steady state first: a new job JVM spends its first minutes compiling (the JIT took more CPU than the
        // executors in the first minutes of a profiled run) on the cores that the batches need
        System.err.println("fresh: load at " + rate + " events/s, warming up " + warmupSeconds + " s before " + probes + " probes");
        Thread.sleep(warmupSeconds * 1000L);
        List<Long> ms = new ArrayList<>();
        // Probes are events of type "probe", which the job routes to the table probes (bench/stream sets the route):
        // published by the same batch as their events rows, and counted in a tiny table. A count over events, once a
        // second, is Trino scanning a growing table on the job's 2 cores: batches took 2.5 s at steady load before the
        // probes and 4-10 s while they ran. One query text for every look (Trino compiles code per distinct query);
        // probe k is visible once the count reaches base + k + 1.
        String count = "SELECT count(*) FROM probes";
        try (Connection c = DriverManager.getConnection(trinoJdbc)) {
            long base = countOf(c, count);
            for (int k = 0; k < probes; k++) {
                String user = "probe-" + UUID.randomUUID();
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ingest + "/events")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"probe\",\"anonymous_id\":\"" + user + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long acked = System.nanoTime();
                if (r.statusCode() != 200) throw new IllegalStateException("probe not accepted: " + r.body());
                while (countOf(c, count) < base + k + 1) {
                    Thread.sleep(250); // a look costs Trino a query plan: more often, it takes the job's cores for little precision
                }
                ms.add((System.nanoTime() - acked) / 1_000_000);
                Thread.sleep(1000 + new Random(k).nextInt(3000));
            }
        }
        on.set(false);
        load.join();
        Collections.sort(ms);
        System.out.printf("freshness_ms p50=%d p95=%d max=%d n=%d rate=%d%n", ms.get(ms.size() / 2),
                ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.95) - 1)), ms.get(ms.size() - 1), ms.size(), rate);
    }
}
