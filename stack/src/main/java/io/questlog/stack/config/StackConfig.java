package io.questlog.stack.config;

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
        Path root = Path.of(env.string("root", ".")).toAbsolutePath().normalize();
        int off = env.integer("port_offset", 0);
        StackConfig c = new StackConfig(
                root,
                Path.of(env.string("home", root.resolve(".questlog").toString())).toAbsolutePath().normalize(),
                "127.0.0.1",
                env.integer("kafka_port", 9092 + off),
                env.integer("kafka_controller_port", 9093 + off),
                env.integer("namenode_port", 8020 + off),
                env.integer("namenode_http_port", 9870 + off),
                env.integer("datanode_port", 9866 + off),
                env.integer("datanode_http_port", 9864 + off),
                env.integer("datanode_ipc_port", 9867 + off),
                env.integer("metastore_port", 9083 + off),
                env.integer("hiveserver2_port", 10000 + off),
                env.integer("trino_port", 8080 + off),
                env.integer("ingest_port", 5000 + off),
                env.string("trino_java_home", null),
                env.string("trigger", "10 seconds"),
                env.integer("kafka_partitions", 4),
                Path.of(env.string("output", root.resolve("output").toString())).toAbsolutePath(),
                Double.parseDouble(env.string("max_bad_rate", "0.01")));
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
}
