package io.questlog.stack.config;

import static io.questlog.contract.Settings.DATANODE_HTTP_PORT;
import static io.questlog.contract.Settings.DATANODE_IPC_PORT;
import static io.questlog.contract.Settings.DATANODE_PORT;
import static io.questlog.contract.Settings.HIVESERVER2_PORT;
import static io.questlog.contract.Settings.HOME;
import static io.questlog.contract.Settings.INGEST_PORT;
import static io.questlog.contract.Settings.KAFKA_CONTROLLER_PORT;
import static io.questlog.contract.Settings.KAFKA_PORT;
import static io.questlog.contract.Settings.METASTORE_PORT;
import static io.questlog.contract.Settings.NAMENODE_HTTP_PORT;
import static io.questlog.contract.Settings.NAMENODE_PORT;
import static io.questlog.contract.Settings.OUTPUT;
import static io.questlog.contract.Settings.TRINO_PORT;
import static io.questlog.contract.Settings.KAFKA_PARTITIONS;
import static io.questlog.contract.Settings.MAX_BAD_RATE;
import static io.questlog.contract.Settings.PORT_OFFSET;
import static io.questlog.contract.Settings.ROOT;
import static io.questlog.contract.Settings.TRIGGER;
import static io.questlog.contract.Settings.TRINO_JAVA_HOME;
import static io.questlog.contract.Settings.SPARK_MASTER_PORT;
import static io.questlog.contract.Settings.SPARK_MASTER_WEBUI_PORT;
import static io.questlog.contract.Settings.TOPOLOGY;
import io.questlog.contract.Env;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Where the local stack lives and which ports it binds, from QUESTLOG_* variables (defaults in the README's
 * settings table). QUESTLOG_PORT_OFFSET shifts every default port, so a test stack can run beside a demo.
 */
public record StackConfig(
        Path root, Path home, String host,
        int kafkaPort, int kafkaControllerPort,
        int namenodePort, int namenodeHttpPort, int datanodePort, int datanodeHttpPort, int datanodeIpcPort,
        int metastorePort, int hiveserver2Port, int trinoPort, int ingestPort,
        String trinoJavaHome, String trigger, int kafkaPartitions, Path outputDir, double maxBadRate,
        int sparkMasterPort, int sparkMasterWebPort, boolean cluster) {

    /** `up --cluster`: how many nodes of each kind (see {@link #nth}). */
    public static final int KAFKA_NODES = 3, DATANODES = 3, SPARK_WORKERS = 2, INGEST_NODES = 2, TRINO_WORKERS = 1;
    public static final String SINGLE = "single", CLUSTER = "cluster";

    public static StackConfig from(Env env) {
        Path root = Path.of(env.string(ROOT)).toAbsolutePath().normalize();
        int off = env.integer(PORT_OFFSET);
        StackConfig c = new StackConfig(
                root,
                Path.of(env.string(HOME.name(), root.resolve(".questlog").toString())).toAbsolutePath().normalize(),
                "127.0.0.1",
                port(env, KAFKA_PORT, off),
                port(env, KAFKA_CONTROLLER_PORT, off),
                port(env, NAMENODE_PORT, off),
                port(env, NAMENODE_HTTP_PORT, off),
                port(env, DATANODE_PORT, off),
                port(env, DATANODE_HTTP_PORT, off),
                port(env, DATANODE_IPC_PORT, off),
                port(env, METASTORE_PORT, off),
                port(env, HIVESERVER2_PORT, off),
                port(env, TRINO_PORT, off),
                port(env, INGEST_PORT, off),
                env.string(TRINO_JAVA_HOME),
                env.string(TRIGGER),
                env.integer(KAFKA_PARTITIONS),
                Path.of(env.string(OUTPUT.name(), root.resolve("output").toString())).toAbsolutePath(),
                Double.parseDouble(env.string(MAX_BAD_RATE)),
                port(env, SPARK_MASTER_PORT, off),
                port(env, SPARK_MASTER_WEBUI_PORT, off),
                false);
        String topology = env.string(TOPOLOGY.name(), recordedTopology(c.home()));
        if (!topology.equals(SINGLE) && !topology.equals(CLUSTER)) env.error(TOPOLOGY.var() + " must be single or cluster, not " + topology);
        env.validate("stack");
        if (topology.equals(CLUSTER)) c = c.withCluster(true);
        return c;
    }

    /** The topology `up` recorded under QUESTLOG_HOME (run/topology), else single. */
    static String recordedTopology(Path home) {
        try {
            Path f = topologyFile(home);
            return Files.exists(f) ? Files.readString(f).trim() : SINGLE;
        } catch (IOException e) {
            return SINGLE;
        }
    }

    public static Path topologyFile(Path home) { return home.resolve("run").resolve("topology"); }

    public StackConfig withCluster(boolean on) {
        return new StackConfig(root, home, host, kafkaPort, kafkaControllerPort, namenodePort, namenodeHttpPort, datanodePort,
                datanodeHttpPort, datanodeIpcPort, metastorePort, hiveserver2Port, trinoPort, ingestPort, trinoJavaHome, trigger,
                kafkaPartitions, outputDir, maxBadRate, sparkMasterPort, sparkMasterWebPort, on);
    }

    public String topology() { return cluster ? CLUSTER : SINGLE; }

    /**
     * The cluster's port scheme: node {@code i} (1-based) of a kind binds its single-node port plus 100 × (i - 1), so
     * node 1 keeps the single-node port (kafka-1: 9092, kafka-2: 9192, kafka-3: 9292); all move with QUESTLOG_PORT_OFFSET.
     */
    public static int nth(int port, int i) { return port + 100 * (i - 1); }

    public String kafkaBootstrap() {
        if (!cluster) return host + ":" + kafkaPort;
        return IntStream.rangeClosed(1, KAFKA_NODES).mapToObj(i -> host + ":" + nth(kafkaPort, i)).collect(Collectors.joining(","));
    }
    /** HDFS replication: 2 of the cluster's 3 DataNodes (one may die and writes still find two), 1 on one node. */
    public int replication() { return cluster ? 2 : 1; }
    public String sparkMaster() { return "spark://" + host + ":" + sparkMasterPort; }
    public String sparkMasterUi() { return "http://" + host + ":" + sparkMasterWebPort; }
    /** ingest-api instance {@code i} in the cluster: QUESTLOG_INGEST_PORT + 100 × i (HAProxy takes QUESTLOG_INGEST_PORT). */
    public int ingestNodePort(int i) { return ingestPort + 100 * i; }
    public List<Integer> ingestNodePorts() { return IntStream.rangeClosed(1, INGEST_NODES).mapToObj(this::ingestNodePort).toList(); }
    public String hdfs() { return "hdfs://localhost:" + namenodePort; }
    public String warehouse() { return hdfs() + "/questlog/warehouse"; }
    public String checkpoints() { return hdfs() + "/questlog/checkpoints"; }
    public String metastoreUri() { return "thrift://" + host + ":" + metastorePort; }
    public String hiveJdbc() { return "jdbc:hive2://" + host + ":" + hiveserver2Port + "/default"; }
    public String trinoUrl() { return "http://" + host + ":" + trinoPort; }
    public String trinoJdbc() { return "jdbc:trino://" + host + ":" + trinoPort + "/hive/default?user=questlog"; }
    public String ingestUrl() { return "http://" + host + ":" + ingestPort; }

    public Path lib(String part) { return home.resolve("lib").resolve(part); }
    public Path conf(String part) { return home.resolve("conf").resolve(part); }
    public Path data(String part) { return home.resolve("data").resolve(part); }
    public Path log(String part) { return home.resolve("logs").resolve(part + ".log"); }
    public Path pidFile(String part) { return home.resolve("run").resolve(part + ".pid"); }
    /** The last progress line a part keeps (the stream-writer's QUESTLOG_PROGRESS_FILE), shown by `status`. */
    public Path progressFile(String part) { return home.resolve("run").resolve(part + ".progress"); }

    /** A port setting: its catalog default moved by QUESTLOG_PORT_OFFSET, unless set itself. */
    private static int port(Env env, io.questlog.contract.Setting s, int offset) {
        return env.integer(s.name(), s.intDefault() + offset);
    }
}
