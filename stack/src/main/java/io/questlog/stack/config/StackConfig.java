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
import io.questlog.contract.Env;
import java.nio.file.Path;

/**
 * Where the local stack lives and which ports it binds, from QUESTLOG_* variables (defaults in the README's
 * settings table). QUESTLOG_PORT_OFFSET shifts every default port, so a test stack can run beside a demo.
 */
public record StackConfig(
        Path root, Path home, String host,
        int kafkaPort, int kafkaControllerPort,
        int namenodePort, int namenodeHttpPort, int datanodePort, int datanodeHttpPort, int datanodeIpcPort,
        int metastorePort, int hiveserver2Port, int trinoPort, int ingestPort,
        String trinoJavaHome, String trigger, int kafkaPartitions, Path outputDir, double maxBadRate) {

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
                Double.parseDouble(env.string(MAX_BAD_RATE)));
        env.validate("stack");
        return c;
    }

    public String kafkaBootstrap() { return host + ":" + kafkaPort; }
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
