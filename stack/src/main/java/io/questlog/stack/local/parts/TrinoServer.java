package io.questlog.stack.local.parts;

import static io.questlog.stack.local.ConfigFiles.properties;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.ConfigFiles;
import io.questlog.stack.local.Fetch;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Jdks;
import io.questlog.stack.local.Part;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trino 476 with a Hive catalog, from its server tarball, on a JDK 22+: the coordinator (`trino`) and, in the
 * cluster, worker nodes (`trino-worker-i`, port QUESTLOG_TRINO_PORT + 100 × i) that the coordinator schedules on alone.
 */
public final class TrinoServer {
    private TrinoServer() {}

    public static Part part() {
        return node("trino", 0);
    }

    public static Part clusterWorker(int i) {
        return node("trino-worker-" + i, i).withAfter(List.of("trino"));
    }

    private static int port(StackConfig c, int i) {
        return c.trinoPort() + 100 * i;
    }

    /** {@code i} = 0: the coordinator. */
    private static Part node(String name, int i) {
        return new Part(name, List.of("metastore"), null, Duration.ofSeconds(180), c -> {
            Path etc = c.conf(name);
            properties(c, etc.resolve("node.properties"), Map.of(
                    "node.environment", "questlog", "node.id", "questlog-" + (i + 1),
                    "node.data-dir", c.data(name).toString(),
                    "node.bind-ip", c.host(), "node.internal-address", c.host()));
            properties(c, etc.resolve("config.properties"), Map.of(
                    "coordinator", String.valueOf(i == 0),
                    // the cluster's coordinator only plans; its worker scans
                    "node-scheduler.include-coordinator", String.valueOf(!c.cluster()),
                    "http-server.http.port", String.valueOf(port(c, i)),
                    "discovery.uri", c.trinoUrl(),
                    "query.max-memory", "1GB", "query.max-memory-per-node", "512MB"));
            ConfigFiles.write(c, etc.resolve("jvm.config"), String.join("\n", List.of("-server", c.cluster() ? "-Xmx1G" : "-Xmx2G",
                    "-XX:InitialRAMPercentage=5", "-XX:+ExplicitGCInvokesConcurrent", "-XX:+ExitOnOutOfMemoryError",
                    "-XX:+HeapDumpOnOutOfMemoryError", "-XX:-OmitStackTraceInFastThrow", "-XX:ReservedCodeCacheSize=256M",
                    "-XX:PerMethodRecompilationCutoff=10000", "-XX:PerBytecodeRecompilationCutoff=10000",
                    "-Djdk.attach.allowAttachSelf=true", "-Djdk.nio.maxCachedBufferSize=2000000",
                    "-Dfile.encoding=UTF-8", "-Duser.timezone=UTC", "-XX:+EnableDynamicAgentLoading")) + "\n");
            properties(c, etc.resolve("log.properties"), Map.of("io.trino", "INFO"));
            properties(c, etc.resolve("catalog").resolve("hive.properties"), new LinkedHashMap<>(Map.of(
                    "connector.name", "hive",
                    "hive.metastore.uri", c.metastoreUri(),
                    "fs.hadoop.enabled", "true",
                    "hive.timestamp-precision", "MICROSECONDS",
                    "hive.parquet.time-zone", "UTC",
                    "hive.allow-register-partition-procedure", "true")));
        }, c -> {
            ProcessBuilder pb = new ProcessBuilder(Fetch.trinoServer(c).resolve("bin").resolve("launcher").toString(),
                    "run", "--etc-dir=" + c.conf(name), "--data-dir=" + c.data(name));
            pb.environment().put("JAVA_HOME", Jdks.forTrino(c).toString());
            return pb;
        }, c -> {
            String info = Health.get("http://" + c.host() + ":" + port(c, i) + "/v1/info");
            return info != null && info.contains("\"starting\":false");
        }).withPort(c -> port(c, i));
    }
}
