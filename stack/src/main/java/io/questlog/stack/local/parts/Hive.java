package io.questlog.stack.local.parts;

import static io.questlog.stack.local.ConfigFiles.hadoopXml;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.ConfigFiles;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.StateDirs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hive 4.0.1: the Metastore (Derby) and HiveServer2, sharing one configuration. */
public final class Hive {
    private Hive() {}

    static void conf(StackConfig c) throws IOException {
        Path dir = c.conf("hive");
        hadoopXml(c, dir.resolve("core-site.xml"), Map.of("fs.defaultFS", c.hdfs(),
                "hadoop.proxyuser.root.hosts", "*", "hadoop.proxyuser.root.groups", "*"));
        hadoopXml(c, dir.resolve("hdfs-site.xml"), Map.of("dfs.replication", String.valueOf(c.replication())));
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
        ConfigFiles.write(c, dir.resolve("log4j2.properties"), ConfigFiles.LOG4J2);
        StateDirs.create(c, c.data("metastore"));
        StateDirs.create(c, c.data("hiveserver2"));
    }

    private static final List<String> OPENS = List.of("java.base/java.lang", "java.base/java.lang.reflect",
            "java.base/java.lang.invoke", "java.base/java.util", "java.base/java.util.concurrent",
            "java.base/java.util.concurrent.atomic", "java.base/java.util.regex", "java.base/java.net",
            "java.base/java.io", "java.base/java.nio", "java.base/java.time", "java.base/java.text",
            "java.base/sun.nio.ch", "java.base/sun.nio.cs", "java.base/sun.security.action",
            "java.base/sun.util.calendar", "java.sql/java.sql");

    private static List<String> jvm(StackConfig c, String xmx) {
        List<String> a = new ArrayList<>(List.of(xmx, "-Dlog4j2.configurationFile=" + c.conf("hive").resolve("log4j2.properties"),
                "-Dderby.system.home=" + c.data("metastore"), "-Dhive.metastore.uris=" + c.metastoreUri()));
        OPENS.forEach(o -> a.add("--add-opens=" + o + "=ALL-UNNAMED"));
        return a;
    }

    public static Part metastore() {
        return new Part("metastore", List.of("datanode"), null, Duration.ofSeconds(120), Hive::conf,
                c -> Jvm.onClasspath(c, "hive", jvm(c, "-Xmx768m"), "org.apache.hadoop.hive.metastore.HiveMetaStore"),
                c -> Health.portOpen(c.host(), c.metastorePort()))
                .withPort(StackConfig::metastorePort);
    }

    public static Part hiveserver2() {
        return new Part("hiveserver2", List.of("metastore"), null, Duration.ofSeconds(180), Hive::conf,
                c -> Jvm.onClasspath(c, "hive", jvm(c, "-Xmx1g"), "org.apache.hive.service.server.HiveServer2"),
                c -> Health.portOpen(c.host(), c.hiveserver2Port()))
                .withPort(StackConfig::hiveserver2Port);
    }
}
