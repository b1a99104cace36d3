package io.questlog.stack.local.parts;

import static io.questlog.stack.local.ConfigFiles.properties;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.ConfigFiles;
import io.questlog.stack.local.Exec;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.Part;
import java.io.IOException;
import io.questlog.stack.local.StateDirs;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Kafka 4.1.1, KRaft: one node, or (cluster) node i of 3 combined broker+controller nodes with a static 3-voter quorum. */
public final class Kafka {
    private Kafka() {}

    public static Part part() {
        return node("kafka", 0);
    }

    /** kafka-i of the cluster (1-based); its ports are the single node's plus 100 × (i - 1). */
    public static Part clusterNode(int i) {
        return node("kafka-" + i, i);
    }

    /** {@code i} = 0: the single node. */
    private static Part node(String name, int i) {
        int n = Math.max(i, 1);
        return new Part(name, List.of(), null, Duration.ofSeconds(120), c -> {
            Path props = c.conf(name).resolve("server.properties");
            int rf = i == 0 ? 1 : StackConfig.KAFKA_NODES;
            String isr = i == 0 ? "1" : "2";
            Map<String, String> p = new LinkedHashMap<>();
            p.put("process.roles", "broker,controller");
            p.put("node.id", String.valueOf(n));
            if (i == 0) {
                p.put("controller.quorum.bootstrap.servers", c.host() + ":" + c.kafkaControllerPort());
            } else {
                p.put("controller.quorum.voters", IntStream.rangeClosed(1, StackConfig.KAFKA_NODES)
                        .mapToObj(k -> k + "@" + c.host() + ":" + StackConfig.nth(c.kafkaControllerPort(), k)).collect(Collectors.joining(",")));
            }
            int port = StackConfig.nth(c.kafkaPort(), n), controller = StackConfig.nth(c.kafkaControllerPort(), n);
            p.put("listeners", "PLAINTEXT://" + c.host() + ":" + port + ",CONTROLLER://" + c.host() + ":" + controller);
            p.put("advertised.listeners", "PLAINTEXT://" + c.host() + ":" + port);
            p.put("controller.listener.names", "CONTROLLER");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("log.dirs", c.data(name).toString());
            p.put("num.partitions", String.valueOf(c.kafkaPartitions()));
            p.put("default.replication.factor", String.valueOf(rf));
            p.put("min.insync.replicas", isr);
            p.put("unclean.leader.election.enable", "false");
            p.put("offsets.topic.replication.factor", String.valueOf(rf));
            p.put("transaction.state.log.replication.factor", String.valueOf(rf));
            p.put("transaction.state.log.min.isr", isr);
            p.put("share.coordinator.state.topic.replication.factor", String.valueOf(rf));
            p.put("share.coordinator.state.topic.min.isr", isr);
            p.put("group.initial.rebalance.delay.ms", "0");
            properties(c, props, p);
            ConfigFiles.write(c, c.conf(name).resolve("log4j2.properties"), ConfigFiles.LOG4J2);
            if (!Files.exists(c.data(name).resolve("meta.properties"))) {
                List<String> args = i == 0
                        ? List.of("format", "--standalone", "-t", newClusterId(), "-c", props.toString())
                        : List.of("format", "-t", clusterId(c), "-c", props.toString()); // static voters: no quorum flags
                Exec.run(c, Jvm.onClasspath(c, "kafka", List.of(), "kafka.tools.StorageTool", args.toArray(String[]::new)),
                        c.log(name + "-format"));
            }
        }, c -> Jvm.onClasspath(c, "kafka", c.conf(name), List.of(i == 0 ? "-Xmx1g" : "-Xmx512m",
                "-Dlog4j2.configurationFile=" + c.conf(name).resolve("log4j2.properties")),
                "kafka.Kafka", c.conf(name).resolve("server.properties").toString()),
                c -> Health.portOpen(c.host(), StackConfig.nth(c.kafkaPort(), n)))
                .withPort(c -> StackConfig.nth(c.kafkaPort(), n));
    }

    private static String newClusterId() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    }

    /**
     * The cluster's one id, which every node is formatted with: data/kafka-cluster.id, made by the first node to ask
     * (CREATE_NEW: with docker-compose, nodes in separate containers share data/ and may ask at once).
     */
    static synchronized String clusterId(StackConfig c) throws IOException, InterruptedException {
        Path f = StateDirs.create(c, c.home().resolve("data")).resolve("kafka-cluster.id");
        try {
            Files.writeString(f, newClusterId() + "\n", StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            Thread.sleep(200); // another node is writing it
        }
        return Files.readString(f).trim();
    }
}
