package io.questlog.stack.local.parts;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Env;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterTopologyTest {
    @TempDir
    Path tmp;

    StackConfig config(Map<String, String> more) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("QUESTLOG_ROOT", tmp.toString(), "QUESTLOG_HOME", tmp.resolve("h").toString()));
        env.putAll(more);
        return StackConfig.from(new Env(env));
    }

    @Test
    void everyNodeByName() {
        assertThat(Parts.cluster()).extracting(Part::name).containsExactly("kafka-1", "kafka-2", "kafka-3", "namenode",
                "datanode-1", "datanode-2", "datanode-3", "metastore", "hiveserver2", "trino", "trino-worker-1", "spark-master",
                "spark-worker-1", "spark-worker-2", "ingest-api-1", "ingest-api-2", "haproxy", "stream-writer");
    }

    @Test
    void portsAreDistinctAndMissTheSingleNodeDefaultsOfOtherParts() {
        StackConfig c = config(Map.of("QUESTLOG_TOPOLOGY", "cluster"));
        Map<String, Integer> single = new java.util.HashMap<>();
        Parts.all().forEach(p -> single.put(p.name(), p.portOf(c)));
        Set<Integer> seen = new HashSet<>();
        for (Part p : Parts.cluster()) {
            int port = p.portOf(c);
            if (port == 0) continue;
            assertThat(seen.add(port)).as(p.name() + " port " + port).isTrue();
            // a node may only reuse the single-node port of its own kind (kafka-1: kafka's); HAProxy takes ingest-api's
            String kind = p.name().equals("haproxy") ? "ingest-api" : p.name().replaceAll("-\\d+$", "");
            single.forEach((name, sp) -> {
                if (sp == port) assertThat(name).as(p.name() + " takes " + name + "'s port " + port).isEqualTo(kind);
            });
        }
        assertThat(Parts.cluster().stream().filter(p -> p.name().equals("haproxy")).findFirst().orElseThrow().portOf(c))
                .isEqualTo(5000);
    }

    @Test
    void portsMoveWithTheOffset() {
        StackConfig c = config(Map.of("QUESTLOG_TOPOLOGY", "cluster", "QUESTLOG_PORT_OFFSET", "30000"));
        assertThat(Parts.named(c, "kafka-3").portOf(c)).isEqualTo(39292);
        assertThat(Parts.named(c, "ingest-api-2").portOf(c)).isEqualTo(35200);
        assertThat(Parts.named(c, "spark-worker-1").portOf(c)).isEqualTo(37177);
        assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:39092,127.0.0.1:39192,127.0.0.1:39292");
    }

    @Test
    void dependenciesOnAKindMeanEveryNodeOfIt() {
        Map<String, List<String>> after = new java.util.HashMap<>();
        Parts.cluster().forEach(p -> after.put(p.name(), p.after()));
        assertThat(after.get("metastore")).containsExactly("datanode-1", "datanode-2", "datanode-3");
        assertThat(after.get("ingest-api-1")).containsExactly("kafka-1", "kafka-2", "kafka-3");
        assertThat(after.get("trino-worker-1")).containsExactly("trino");
        assertThat(after.get("stream-writer")).contains("kafka-3", "datanode-2", "trino-worker-1", "hiveserver2", "spark-worker-2");
        Set<String> names = after.keySet();
        after.values().forEach(deps -> assertThat(names).containsAll(deps));
    }

    @Test
    void theRecordedTopologyIsUsedWithoutTheFlagAndTheSettingWins() throws Exception {
        assertThat(config(Map.of()).cluster()).isFalse();
        Path f = StackConfig.topologyFile(tmp.resolve("h"));
        Files.createDirectories(f.getParent());
        Files.writeString(f, "cluster\n");
        assertThat(config(Map.of()).cluster()).isTrue();
        assertThat(Parts.of(config(Map.of()))).hasSize(18);
        assertThat(config(Map.of("QUESTLOG_TOPOLOGY", "single")).cluster()).isFalse();
    }

    @Test
    void haproxyChecksRetriesAndStampsARequestId() {
        String cfg = HaProxy.text(config(Map.of("QUESTLOG_TOPOLOGY", "cluster")));
        assertThat(cfg).contains("bind 127.0.0.1:5000", "option httpchk GET /health", "inter 1s", "fall 1 rise 2", "retries 3",
                "option redispatch 1", "retry-on all-retryable-errors", "unique-id-format",
                "http-request set-header X-Request-Id %[unique-id]",
                "server ingest-api-1 127.0.0.1:5100 check", "server ingest-api-2 127.0.0.1:5200 check");
    }

    @Test
    void theClusterSubmitsTheSameJarToTheStandaloneMaster() {
        List<String> a = StreamWriter.submitArgs(config(Map.of("QUESTLOG_TOPOLOGY", "cluster")), "/x/stream-writer.jar");
        assertThat(String.join(" ", a)).contains("--master spark://127.0.0.1:7077 --deploy-mode cluster --supervise");
        assertThat(a.get(a.size() - 1)).isEqualTo("/x/stream-writer.jar");
    }

    @Test
    void aRelaunchedDriverIsStartedOnceItsCurrentRunSaysSo() throws Exception {
        StackConfig c = config(Map.of("QUESTLOG_TOPOLOGY", "cluster"));
        Path d = Files.createDirectories(c.data("spark-worker-2").resolve("driver-20261202030000-0000"));
        assertThat(StreamWriter.driverLogged(c, StreamWriter.STARTED)).isFalse();
        Files.writeString(d.resolve("stderr"), "Launch Command: java ... DriverWrapper\n====\n\n");
        assertThat(StreamWriter.driverLogged(c, StreamWriter.STARTED)).isFalse();
        Files.writeString(d.resolve("stdout"), "[questlog] stream-writer started: queries x\n");
        assertThat(StreamWriter.driverLogged(c, StreamWriter.STARTED)).isTrue();
        // the Worker relaunched it (--supervise): same folder, a second header; not started until it says so again
        Files.writeString(d.resolve("stderr"), "Launch Command: java ... DriverWrapper\n====\n\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(StreamWriter.driverLogged(c, StreamWriter.STARTED)).isFalse();
        Files.writeString(d.resolve("stdout"), "[questlog] stream-writer started: queries x\n", java.nio.file.StandardOpenOption.APPEND);
        assertThat(StreamWriter.driverLogged(c, StreamWriter.STARTED)).isTrue();
    }
}
