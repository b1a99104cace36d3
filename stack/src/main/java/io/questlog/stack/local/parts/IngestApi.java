package io.questlog.stack.local.parts;

import io.questlog.contract.Settings;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Build;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.Part;
import java.time.Duration;
import java.util.List;
import java.util.function.ToIntFunction;

/** Questlog's ingest API (ingest-api/target/ingest-api.jar): one, or (cluster) instance i behind HAProxy. */
public final class IngestApi {
    /** The header HAProxy sets to a unique id per request, which the cluster's instances mint event_ids from. */
    public static final String REQUEST_ID_HEADER = "X-Request-Id";

    private IngestApi() {}

    public static Part part() {
        return node("ingest-api", StackConfig::ingestPort, false);
    }

    /** ingest-api-i: port QUESTLOG_INGEST_PORT + 100 × i; HAProxy answers on QUESTLOG_INGEST_PORT. */
    public static Part clusterNode(int i) {
        return node("ingest-api-" + i, c -> c.ingestNodePort(i), true);
    }

    private static Part node(String name, ToIntFunction<StackConfig> port, boolean behindProxy) {
        return new Part(name, List.of("kafka"), null, Duration.ofSeconds(60), c -> {},
                c -> {
                    // RSS stays under 512 MB; the serial collector gave 10-20% more requests/s than G1 on 2 cores (bench/ingest)
                    ProcessBuilder pb = new ProcessBuilder(Jvm.bin(), "-Xmx256m", "-XX:+UseSerialGC", "-Duser.timezone=UTC", "-jar",
                            Build.jar(c, "ingest-api").toString());
                    pb.environment().put("QUESTLOG_INGEST_HOST", c.host());
                    pb.environment().put("QUESTLOG_INGEST_PORT", String.valueOf(port.applyAsInt(c)));
                    pb.environment().put("QUESTLOG_KAFKA_BOOTSTRAP", c.kafkaBootstrap());
                    if (behindProxy) pb.environment().put(Settings.TRUSTED_REQUEST_ID_HEADER.var(), REQUEST_ID_HEADER);
                    return pb;
                },
                c -> Health.get("http://" + c.host() + ":" + port.applyAsInt(c) + "/health") != null)
                .withPort(port);
    }
}
