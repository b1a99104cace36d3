package io.questlog.stack;

import static io.questlog.stack.ConfigFiles.hadoopXml;
import static io.questlog.stack.ConfigFiles.properties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The local stack's parts in start order, each bound to 127.0.0.1, state under QUESTLOG_HOME. */
public final class Parts {
    private Parts() {}

    public static List<Part> all() {
        return List.of(kafka(), namenode(), datanode(), metastore(), hiveserver2(), trino(), ingestApi(), streamWriter());
    }

    public static Part named(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no part named " + name + "; parts: "
                        + all().stream().map(Part::name).toList()));
    }

    // ---- Kafka 4.1.1, KRaft, one node -------------------------------------------------------------

    static Part kafka() {
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
            ConfigFiles.write(c, c.conf("kafka").resolve("log4j2.properties"), LOG4J2);
            if (!Files.exists(c.data("kafka").resolve("meta.properties"))) {
                Exec.run(c, java(c, "kafka", List.of(), "kafka.tools.StorageTool", "format", "--standalone",
                        "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", props.toString()),
                        c.log("kafka-format"));
            }
        }, c -> java(c, "kafka", List.of("-Xmx1g", "-Dlog4j2.configurationFile=" + c.conf("kafka").resolve("log4j2.properties")),
                "kafka.Kafka", c.conf("kafka").resolve("server.properties").toString()),
                c -> Health.portOpen(c.host(), c.kafkaPort()))
                .withPort(StackConfig::kafkaPort);
    }

    // ---- HDFS 3.4.1 -------------------------------------------------------------------------------

    static void hdfsConf(StackConfig c) throws IOException {
        Path dir = c.conf("hdfs");
        hadoopXml(c, dir.resolve("core-site.xml"), Map.of(
                "fs.defaultFS", c.hdfs(),
                "hadoop.proxyuser.root.hosts", "*", "hadoop.proxyuser.root.groups", "*"));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("dfs.replication", "1");
        h.put("dfs.namenode.name.dir", c.data("hdfs").resolve("name").toUri().toString());
        h.put("dfs.datanode.data.dir", c.data("hdfs").resolve("data").toUri().toString());
        h.put("dfs.namenode.rpc-bind-host", c.host());
        h.put("dfs.namenode.http-address", c.host() + ":" + c.namenodeHttpPort());
        h.put("dfs.namenode.secondary.http-address", c.host() + ":0");
        h.put("dfs.datanode.address", c.host() + ":" + c.datanodePort());
        h.put("dfs.datanode.http.address", c.host() + ":" + c.datanodeHttpPort());
        h.put("dfs.datanode.ipc.address", c.host() + ":" + c.datanodeIpcPort());
        h.put("dfs.datanode.hostname", c.host());
        h.put("dfs.permissions.enabled", "false");
        h.put("dfs.namenode.safemode.extension", "0");
        h.put("dfs.heartbeat.interval", "1");
        hadoopXml(c, dir.resolve("hdfs-site.xml"), h);
        // The Maven jars lack webapps/: NameNode and DataNode refuse to start without these folders.
        for (String w : List.of("hdfs", "datanode", "secondary", "journal", "static")) {
            StateDirs.create(c, dir.resolve("webapps").resolve(w));
        }
        ConfigFiles.write(c, dir.resolve("log4j.properties"), LOG4J1);
    }

    static Part namenode() {
        return new Part("namenode", List.of(), null, Duration.ofSeconds(60), c -> {
            hdfsConf(c);
            if (!Files.exists(c.data("hdfs").resolve("name").resolve("current").resolve("VERSION"))) {
                Exec.run(c, java(c, "hdfs", List.of(), "org.apache.hadoop.hdfs.server.namenode.NameNode",
                        "-format", "-nonInteractive"), c.log("namenode-format"));
            }
        }, c -> java(c, "hdfs", List.of("-Xmx512m"), "org.apache.hadoop.hdfs.server.namenode.NameNode"),
                c -> Health.get("http://" + c.host() + ":" + c.namenodeHttpPort()
                        + "/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo") != null)
                .withPort(StackConfig::namenodePort);
    }

    static Part datanode() {
        return new Part("datanode", List.of("namenode"), null, Duration.ofSeconds(60), Parts::hdfsConf,
                c -> java(c, "hdfs", List.of("-Xmx512m"), "org.apache.hadoop.hdfs.server.datanode.DataNode"),
                // Healthy once the NameNode counts it live: only then can Spark write blocks.
                c -> {
                    String jmx = Health.get("http://" + c.host() + ":" + c.namenodeHttpPort()
                            + "/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState");
                    return jmx != null && jmx.matches("(?s).*\"NumLiveDataNodes\"\\s*:\\s*[1-9].*");
                }).withPort(StackConfig::datanodePort);
    }

    // ---- Hive 4.0.1: Metastore (Derby) and HiveServer2 --------------------------------------------

    static void hiveConf(StackConfig c) throws IOException {
        Path dir = c.conf("hive");
        hadoopXml(c, dir.resolve("core-site.xml"), Map.of("fs.defaultFS", c.hdfs(),
                "hadoop.proxyuser.root.hosts", "*", "hadoop.proxyuser.root.groups", "*"));
        hadoopXml(c, dir.resolve("hdfs-site.xml"), Map.of("dfs.replication", "1"));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + c.data("metastore").resolve("db") + ";create=true");
        h.put("datanucleus.schema.autoCreateAll", "true");
        h.put("metastore.schema.verification", "false");
        h.put("hive.metastore.schema.verification", "false");
        h.put("metastore.thrift.port", String.valueOf(c.metastorePort()));
        h.put("metastore.thrift.bind.host", c.host());
        h.put("metastore.warehouse.dir", c.hdfs() + "/questlog/hive");
        h.put("hive.metastore.warehouse.dir", c.hdfs() + "/questlog/hive");
        h.put("hive.metastore.event.db.notification.api.auth", "false");
        h.put("hive.metastore.uris", c.metastoreUri());
        h.put("hive.server2.thrift.bind.host", c.host());
        h.put("hive.server2.thrift.port", String.valueOf(c.hiveserver2Port()));
        h.put("hive.server2.webui.port", "0");
        h.put("hive.server2.enable.doAs", "false");
        h.put("hive.server2.authentication", "NONE");
        h.put("hive.execution.engine", "mr");
        h.put("mapreduce.framework.name", "local");
        h.put("hive.support.concurrency", "false");
        h.put("hive.txn.manager", "org.apache.hadoop.hive.ql.lockmgr.DummyTxnManager");
        h.put("hive.scheduled.queries.executor.enabled", "false");
        h.put("hive.stats.autogather", "false");
        h.put("hive.exec.scratchdir", "/tmp/hive-questlog");
        h.put("hive.exec.local.scratchdir", c.data("hiveserver2").resolve("scratch").toString());
        h.put("hive.downloaded.resources.dir", c.data("hiveserver2").resolve("resources").toString());
        h.put("hive.querylog.location", c.data("hiveserver2").resolve("querylog").toString());
        h.put("hive.server2.logging.operation.log.location", c.data("hiveserver2").resolve("operation_logs").toString());
        hadoopXml(c, dir.resolve("hive-site.xml"), h);
        hadoopXml(c, dir.resolve("metastore-site.xml"), h);
        ConfigFiles.write(c, dir.resolve("log4j2.properties"), LOG4J2);
        StateDirs.create(c, c.data("metastore"));
        StateDirs.create(c, c.data("hiveserver2"));
    }

    private static final List<String> HIVE_OPENS = List.of("java.base/java.lang", "java.base/java.lang.reflect",
            "java.base/java.lang.invoke", "java.base/java.util", "java.base/java.util.concurrent",
            "java.base/java.util.concurrent.atomic", "java.base/java.util.regex", "java.base/java.net",
            "java.base/java.io", "java.base/java.nio", "java.base/java.time", "java.base/java.text",
            "java.base/sun.nio.ch", "java.base/sun.nio.cs", "java.base/sun.security.action",
            "java.base/sun.util.calendar", "java.sql/java.sql");

    private static List<String> hiveJvm(StackConfig c, String xmx) {
        List<String> a = new ArrayList<>(List.of(xmx, "-Dlog4j2.configurationFile=" + c.conf("hive").resolve("log4j2.properties"),
                "-Dderby.system.home=" + c.data("metastore"), "-Dhive.metastore.uris=" + c.metastoreUri()));
        HIVE_OPENS.forEach(o -> a.add("--add-opens=" + o + "=ALL-UNNAMED"));
        return a;
    }

    static Part metastore() {
        return new Part("metastore", List.of("datanode"), null, Duration.ofSeconds(120), Parts::hiveConf,
                c -> java(c, "hive", hiveJvm(c, "-Xmx768m"), "org.apache.hadoop.hive.metastore.HiveMetaStore"),
                c -> Health.portOpen(c.host(), c.metastorePort()))
                .withPort(StackConfig::metastorePort);
    }

    static Part hiveserver2() {
        return new Part("hiveserver2", List.of("metastore"), null, Duration.ofSeconds(180), Parts::hiveConf,
                c -> java(c, "hive", hiveJvm(c, "-Xmx1g"), "org.apache.hive.service.server.HiveServer2"),
                c -> Health.portOpen(c.host(), c.hiveserver2Port()))
                .withPort(StackConfig::hiveserver2Port);
    }

    // ---- Trino 476 with a Hive catalog ------------------------------------------------------------

    static Part trino() {
        return new Part("trino", List.of("metastore"), null, Duration.ofSeconds(180), c -> {
            Path etc = c.conf("trino");
            properties(c, etc.resolve("node.properties"), Map.of(
                    "node.environment", "questlog", "node.id", "questlog-1",
                    "node.data-dir", c.data("trino").toString(),
                    "node.bind-ip", c.host(), "node.internal-address", c.host()));
            properties(c, etc.resolve("config.properties"), Map.of(
                    "coordinator", "true", "node-scheduler.include-coordinator", "true",
                    "http-server.http.port", String.valueOf(c.trinoPort()),
                    "discovery.uri", c.trinoUrl(),
                    "query.max-memory", "1GB", "query.max-memory-per-node", "512MB"));
            ConfigFiles.write(c, etc.resolve("jvm.config"), String.join("\n", List.of("-server", "-Xmx2G",
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
                    "run", "--etc-dir=" + c.conf("trino"), "--data-dir=" + c.data("trino"));
            pb.environment().put("JAVA_HOME", Jdks.forTrino(c).toString());
            return pb;
        }, c -> {
            String info = Health.get(c.trinoUrl() + "/v1/info");
            return info != null && info.contains("\"starting\":false");
        }).withPort(StackConfig::trinoPort);
    }

    // ---- Questlog's own: ingest API and stream-writer ---------------------------------------------

    static Part ingestApi() {
        return new Part("ingest-api", List.of("kafka"), null, Duration.ofSeconds(60), c -> {},
                c -> {
                    // RSS stays under 512 MB; the serial collector gave 10-20% more requests/s than G1 on 2 cores (bench/ingest)
                    ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx256m", "-XX:+UseSerialGC", "-Duser.timezone=UTC", "-jar",
                            Build.jar(c, "ingest-api").toString());
                    pb.environment().put("QUESTLOG_INGEST_HOST", c.host());
                    pb.environment().put("QUESTLOG_INGEST_PORT", String.valueOf(c.ingestPort()));
                    pb.environment().put("QUESTLOG_KAFKA_BOOTSTRAP", c.kafkaBootstrap());
                    return pb;
                },
                c -> Health.get(c.ingestUrl() + "/health") != null)
                .withPort(StackConfig::ingestPort);
    }

    static Part streamWriter() {
        return new Part("stream-writer", List.of("kafka", "datanode", "trino", "hiveserver2"), null, Duration.ofSeconds(180),
                c -> { // the job reads the topic and publishes into the tables: both exist before it starts
                    Topics.ensure(c);
                    Tables.create(c);
                },
                c -> {
                    // the parallel collector: 500k-event batches in 16-17 s instead of G1's 23-25 s (bench/stream)
                    ProcessBuilder pb = sparkSubmit(c, List.of("-Xmx2g", "-XX:+UseParallelGC"), List.of("--master", "local[2]",
                            "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.session.timeZone=UTC",
                            Build.jar(c, "stream-writer").toString()));
                    Map<String, String> e = pb.environment();
                    e.put("QUESTLOG_KAFKA_BOOTSTRAP", c.kafkaBootstrap());
                    e.put("QUESTLOG_WAREHOUSE", c.warehouse());
                    e.put("QUESTLOG_CHECKPOINTS", c.checkpoints());
                    e.put("QUESTLOG_TRINO_JDBC", c.trinoJdbc());
                    e.put("QUESTLOG_TRIGGER", c.trigger());
                    e.put("QUESTLOG_PROGRESS_FILE", c.progressFile("stream-writer").toString());
                    return pb;
                },
                // No port: healthy once the job logged that its queries run.
                c -> Logs.contains(c.log("stream-writer"), STREAM_WRITER_STARTED));
    }

    /**
     * `spark-submit` from the Maven-resolved Spark jars (the shell script ships only in Spark's tarball), its
     * driver bound to the stack's loopback address like every other part.
     */
    static ProcessBuilder sparkSubmit(StackConfig c, List<String> jvm, List<String> args) throws IOException {
        List<String> a = new ArrayList<>(jvm);
        a.add("-Duser.timezone=UTC");
        a.addAll(onLoopback(c.host(), args));
        ProcessBuilder pb = java(c, "spark", a.subList(0, jvm.size() + 1), "org.apache.spark.deploy.SparkSubmit",
                a.subList(jvm.size() + 1, a.size()).toArray(String[]::new));
        pb.environment().put("SPARK_LOCAL_IP", c.host()); // the executors' and block manager's address too
        return pb;
    }

    static final List<String> DRIVER_ADDRESS_KEYS = List.of("spark.driver.bindAddress", "spark.driver.host");

    /** spark-submit ARGS with `--conf KEY=HOST` first for each driver-address key that ARGS do not set themselves. */
    static List<String> onLoopback(String host, List<String> args) {
        List<String> out = new ArrayList<>();
        for (String key : DRIVER_ADDRESS_KEYS) {
            boolean set = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                boolean pair = (a.equals("--conf") || a.equals("-c")) && i + 1 < args.size() && args.get(i + 1).startsWith(key + "=");
                set |= pair || a.startsWith("--conf=" + key + "=");
            }
            if (!set) out.addAll(List.of("--conf", key + "=" + host));
        }
        out.addAll(args);
        return out;
    }

    /** The line the stream-writer logs once its queries run. */
    static final String STREAM_WRITER_STARTED = "stream-writer started";

    // ---- helpers ----------------------------------------------------------------------------------

    static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A JVM on the part's resolved classpath, with its conf folder first (Hadoop/Hive read *-site.xml from there). */
    static ProcessBuilder java(StackConfig c, String lib, List<String> jvm, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin());
        cmd.add("-Duser.timezone=UTC");
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(c.conf(lib) + ":" + Fetch.classpath(c, lib));
        cmd.add(main);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TZ", "UTC");
        if (lib.equals("hdfs") || lib.equals("hive")) {
            pb.environment().put("HADOOP_CONF_DIR", c.conf(lib).toString());
        }
        return pb;
    }

    static final String LOG4J2 = """
            status = warn
            appender.console.type = Console
            appender.console.name = console
            appender.console.layout.type = PatternLayout
            appender.console.layout.pattern = %d{ISO8601} %-5p %c{1} - %m%n
            rootLogger.level = info
            rootLogger.appenderRef.console.ref = console
            """;

    static final String LOG4J1 = """
            log4j.rootLogger=INFO, console
            log4j.appender.console=org.apache.log4j.ConsoleAppender
            log4j.appender.console.layout=org.apache.log4j.PatternLayout
            log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %-5p %c{1} - %m%n
            """;
}
