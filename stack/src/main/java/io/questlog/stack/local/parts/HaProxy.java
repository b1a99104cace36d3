package io.questlog.stack.local.parts;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import io.questlog.stack.local.ConfigFiles;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Part;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * HAProxy (Debian's 2.6) in front of the cluster's ingest-api instances, on QUESTLOG_INGEST_PORT: a plain process
 * (`haproxy -f CFG -db`) whose configuration the launcher writes. It health-checks the instances every second,
 * retries a request on the other instance when one fails, and stamps every request with a unique X-Request-Id
 * (overwriting a client's), which the instances mint the event_id from: a retried copy of a request that the dead
 * instance had already produced to Kafka carries the same event_id, and the stream-writer's de-duplication drops it.
 */
public final class HaProxy {
    private HaProxy() {}

    public static Part part() {
        List<String> after = IntStream.rangeClosed(1, StackConfig.INGEST_NODES).mapToObj(i -> "ingest-api-" + i).toList();
        return new Part("haproxy", after, null, Duration.ofSeconds(30),
                c -> ConfigFiles.write(c, config(c), text(c)),
                c -> new ProcessBuilder(binary(), "-f", config(c).toString(), "-db"),
                c -> Health.get(c.ingestUrl() + "/health") != null)
                .withPort(StackConfig::ingestPort);
    }

    static Path config(StackConfig c) {
        return c.conf("haproxy").resolve("haproxy.cfg");
    }

    static String binary() {
        for (String d : List.of("/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin")) {
            if (new File(d, "haproxy").canExecute()) return d + "/haproxy";
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!d.isEmpty() && new File(d, "haproxy").canExecute()) return d + "/haproxy";
        }
        throw new StackException("haproxy not found (the cluster's load balancer): apt-get install -y haproxy");
    }

    /** The configuration: retries and health checks as the class comment says; the instances' ports from the config. */
    public static String text(StackConfig c) {
        List<String> l = new ArrayList<>(List.of(
                "global",
                "    maxconn 4096", // about 2 descriptors a connection: within a default 20000 open-file limit
                "    log stdout format raw local0 notice",
                "",
                "defaults",
                "    mode http",
                "    log global",
                "    option dontlognull",
                "    timeout connect 1s",
                "    timeout client 60s",
                "    timeout server 30s",
                "    timeout http-request 30s",
                "    timeout http-keep-alive 30s",
                // up to 3 retries; the last one (and, with `1`, every one) on another instance
                "    retries 3",
                "    option redispatch 1",
                // connection failures, empty/junk responses, timeouts, 500/502/503/504: POST included (HAProxy keeps
                // requests whose body fits its buffer, 16 kB by default, to replay them; larger ones retry on connection failures only)
                "    retry-on all-retryable-errors",
                "",
                "frontend ingest",
                "    bind " + c.host() + ":" + c.ingestPort(),
                "    unique-id-format %{+X}o%ci-%cp-%Ts-%ms-%rt-%pid",
                "    http-request set-header X-Request-Id %[unique-id]",
                "    default_backend ingest-api",
                "",
                "backend ingest-api",
                "    balance roundrobin",
                "    option httpchk GET /health",
                "    http-check expect status 200",
                "    default-server inter 1s fastinter 500ms fall 1 rise 2"));
        for (int i = 1; i <= StackConfig.INGEST_NODES; i++) {
            l.add("    server ingest-api-" + i + " " + c.host() + ":" + c.ingestNodePort(i) + " check");
        }
        return String.join("\n", l) + "\n";
    }
}
