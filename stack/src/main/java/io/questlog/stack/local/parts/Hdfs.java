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

/** HDFS 3.4.1: one NameNode, one DataNode (cluster: datanode-1..3, each with its own conf, data and ports). */
public final class Hdfs {
    private Hdfs() {}

    static void conf(StackConfig c) throws IOException {
        conf(c, c.conf("hdfs"), c.data("hdfs").resolve("data"), 1);
    }

    /** The configuration in {@code dir}; its DataNode keeps blocks in {@code blocks} and binds node {@code i}'s ports. */
    static void conf(StackConfig c, Path dir, Path blocks, int i) throws IOException {
        hadoopXml(c, dir.resolve("core-site.xml"), Map.of(
                "fs.defaultFS", c.hdfs(),
                "hadoop.proxyuser.root.hosts", "*", "hadoop.proxyuser.root.groups", "*"));
        Map<String, String> h = new LinkedHashMap<>();
        h.put("dfs.replication", String.valueOf(c.replication()));
        h.put("dfs.namenode.name.dir", c.data("hdfs").resolve("name").toUri().toString());
        h.put("dfs.datanode.data.dir", blocks.toUri().toString());
        h.put("dfs.namenode.rpc-bind-host", c.host());
        h.put("dfs.namenode.http-address", c.host() + ":" + c.namenodeHttpPort());
        h.put("dfs.namenode.secondary.http-address", c.host() + ":0");
        h.put("dfs.datanode.address", c.host() + ":" + StackConfig.nth(c.datanodePort(), i));
        h.put("dfs.datanode.http.address", c.host() + ":" + StackConfig.nth(c.datanodeHttpPort(), i));
        h.put("dfs.datanode.ipc.address", c.host() + ":" + StackConfig.nth(c.datanodeIpcPort(), i));
        h.put("dfs.datanode.hostname", c.host());
        h.put("dfs.permissions.enabled", "false");
        h.put("dfs.namenode.safemode.extension", "0");
        h.put("dfs.heartbeat.interval", "1");
        if (c.cluster()) {
            // a dead DataNode is declared dead after 2 × recheck + 10 × heartbeat = 20 s, not 10.5 minutes
            h.put("dfs.namenode.heartbeat.recheck-interval", "5000");
            // with 3 DataNodes and replication 2, a write whose pipeline loses a node goes on with the one left
            h.put("dfs.client.block.write.replace-datanode-on-failure.best-effort", "true");
        }
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

    /** datanode-i of the cluster: conf/datanode-i, data/datanode-i, the DataNode ports plus 100 × (i - 1). */
    public static Part clusterDatanode(int i) {
        String name = "datanode-" + i;
        return new Part(name, List.of("namenode"), null, Duration.ofSeconds(90),
                c -> conf(c, c.conf(name), c.data(name), i),
                c -> Jvm.onClasspath(c, "hdfs", c.conf(name), List.of("-Xmx384m"), "org.apache.hadoop.hdfs.server.datanode.DataNode"),
                // healthy once the NameNode lists this node (by its data port) among the live ones
                c -> {
                    String jmx = Health.get("http://" + c.host() + ":" + c.namenodeHttpPort()
                            + "/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo");
                    if (jmx == null) return false;
                    int live = jmx.indexOf("\"LiveNodes\""), dead = jmx.indexOf("\"DeadNodes\"");
                    if (live < 0) return false;
                    String liveNodes = dead > live ? jmx.substring(live, dead) : jmx.substring(live);
                    return liveNodes.contains(c.host() + ":" + StackConfig.nth(c.datanodePort(), i));
                }).withPort(c -> StackConfig.nth(c.datanodePort(), i));
    }
}
