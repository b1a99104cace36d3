package io.questlog.stack.local.parts;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Build;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.Part;
import java.time.Duration;
import java.util.List;

/** Questlog's ingest API (ingest-api/target/ingest-api.jar). */
public final class IngestApi {
    private IngestApi() {}

    public static Part part() {
        return new Part("ingest-api", List.of("kafka"), null, Duration.ofSeconds(60), c -> {},
                c -> {
                    // RSS stays under 512 MB; the serial collector gave 10-20% more requests/s than G1 on 2 cores (bench/ingest)
                    ProcessBuilder pb = new ProcessBuilder(Jvm.bin(), "-Xmx256m", "-XX:+UseSerialGC", "-Duser.timezone=UTC", "-jar",
                            Build.jar(c, "ingest-api").toString());
                    pb.environment().put("QUESTLOG_INGEST_HOST", c.host());
                    pb.environment().put("QUESTLOG_INGEST_PORT", String.valueOf(c.ingestPort()));
                    pb.environment().put("QUESTLOG_KAFKA_BOOTSTRAP", c.kafkaBootstrap());
                    return pb;
                },
                c -> Health.get(c.ingestUrl() + "/health") != null)
                .withPort(StackConfig::ingestPort);
    }
}
