package io.questlog.stack.local.parts;

import static io.questlog.stack.local.ConfigFiles.properties;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.ConfigFiles;
import io.questlog.stack.local.Exec;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Kafka 4.1.1, KRaft, one node. */
public final class Kafka {
    private Kafka() {}

    public static Part part() {
        return new Part("kafka", List.of(), null, Duration.ofSeconds(90), c -> {
            Path props = c.conf("kafka").resolve("server.properties");
            Map<String, String> p = new LinkedHashMap<>();
            p.put("process.roles", "broker,controller");
            p.put("node.id", "1");
            p.put("controller.quorum.bootstrap.servers", c.host() + ":" + c.kafkaControllerPort());
            p.put("listeners", "PLAINTEXT://" + c.host() + ":" + c.kafkaPort() + ",CONTROLLER://" + c.host() + ":" + c.kafkaControllerPort());
            p.put("advertised.listeners", "PLAINTEXT://" + c.host() + ":" + c.kafkaPort());
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("log.dirs", c.data("kafka").toString());
            p.put("num.partitions", String.valueOf(c.kafkaPartitions()));
            p.put("offsets.topic.replication.factor", "1");
            p.put("transaction.state.log.replication.factor", "1");
            p.put("transaction.state.log.min.isr", "1");
            p.put("share.coordinator.state.topic.replication.factor", "1");
            p.put("share.coordinator.state.topic.min.isr", "1");
            p.put("group.initial.rebalance.delay.ms", "0");
            properties(c, props, p);
            ConfigFiles.write(c, c.conf("kafka").resolve("log4j2.properties"), ConfigFiles.LOG4J2);
            if (!Files.exists(c.data("kafka").resolve("meta.properties"))) {
                Exec.run(c, Jvm.onClasspath(c, "kafka", List.of(), "kafka.tools.StorageTool", "format", "--standalone",
                        "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", props.toString()),
                        c.log("kafka-format"));
            }
        }, c -> Jvm.onClasspath(c, "kafka", List.of("-Xmx1g", "-Dlog4j2.configurationFile=" + c.conf("kafka").resolve("log4j2.properties")),
                "kafka.Kafka", c.conf("kafka").resolve("server.properties").toString()),
                c -> Health.portOpen(c.host(), c.kafkaPort()))
                .withPort(StackConfig::kafkaPort);
    }
}
