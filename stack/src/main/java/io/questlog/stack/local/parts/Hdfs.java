package io.questlog.stack.local.parts;

import static io.questlog.stack.local.ConfigFiles.hadoopXml;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.ConfigFiles;
import io.questlog.stack.local.Exec;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.StateDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** HDFS 3.4.1: one NameNode, one DataNode. */
public final class Hdfs {
    private Hdfs() {}

    static void conf(StackConfig c) throws IOException {
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
        ConfigFiles.write(c, dir.resolve("log4j.properties"), ConfigFiles.LOG4J1);
    }

    public static Part namenode() {
        return new Part("namenode", List.of(), null, Duration.ofSeconds(60), c -> {
            conf(c);
            if (!Files.exists(c.data("hdfs").resolve("name").resolve("current").resolve("VERSION"))) {
                Exec.run(c, Jvm.onClasspath(c, "hdfs", List.of(), "org.apache.hadoop.hdfs.server.namenode.NameNode",
                        "-format", "-nonInteractive"), c.log("namenode-format"));
            }
        }, c -> Jvm.onClasspath(c, "hdfs", List.of("-Xmx512m"), "org.apache.hadoop.hdfs.server.namenode.NameNode"),
                c -> Health.get("http://" + c.host() + ":" + c.namenodeHttpPort()
                        + "/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo") != null)
                .withPort(StackConfig::namenodePort);
    }

    public static Part datanode() {
        return new Part("datanode", List.of("namenode"), null, Duration.ofSeconds(60), Hdfs::conf,
                c -> Jvm.onClasspath(c, "hdfs", List.of("-Xmx512m"), "org.apache.hadoop.hdfs.server.datanode.DataNode"),
                // Healthy once the NameNode counts it live: only then can Spark write blocks.
                c -> {
                    String jmx = Health.get("http://" + c.host() + ":" + c.namenodeHttpPort()
                            + "/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState");
                    return jmx != null && jmx.matches("(?s).*\"NumLiveDataNodes\"\\s*:\\s*[1-9].*");
                }).withPort(StackConfig::datanodePort);
    }
}
