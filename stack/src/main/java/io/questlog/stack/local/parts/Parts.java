package io.questlog.stack.local.parts;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Part;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** The local stack's parts in start order, each bound to 127.0.0.1, state under QUESTLOG_HOME. */
public final class Parts {
    private Parts() {}

    /** The single-node topology: one process per part. */
    public static List<Part> all() {
        return List.of(Kafka.part(), Hdfs.namenode(), Hdfs.datanode(), Hive.metastore(), Hive.hiveserver2(), TrinoServer.part(),
                IngestApi.part(), StreamWriter.part());
    }

    /**
     * The cluster topology (`up --cluster`): the single-node recipes again, several nodes of a kind by index, each node
     * its own process, ports (see {@link StackConfig#nth}), conf/NAME, data/NAME and logs/NAME.log. A dependency on a
     * kind ("kafka") means every node of it.
     */
    public static List<Part> cluster() {
        List<Part> nodes = new ArrayList<>();
        range(StackConfig.KAFKA_NODES).forEach(i -> nodes.add(Kafka.clusterNode(i)));
        nodes.add(Hdfs.namenode());
        range(StackConfig.DATANODES).forEach(i -> nodes.add(Hdfs.clusterDatanode(i)));
        nodes.add(Hive.metastore());
        nodes.add(Hive.hiveserver2());
        nodes.add(TrinoServer.part());
        range(StackConfig.TRINO_WORKERS).forEach(i -> nodes.add(TrinoServer.clusterWorker(i)));
        nodes.add(SparkStandalone.master());
        range(StackConfig.SPARK_WORKERS).forEach(i -> nodes.add(SparkStandalone.worker(i)));
        range(StackConfig.INGEST_NODES).forEach(i -> nodes.add(IngestApi.clusterNode(i)));
        nodes.add(HaProxy.part());
        nodes.add(StreamWriter.cluster());
        return nodes.stream().map(p -> p.withAfter(expand(p.name(), p.after()))).toList();
    }

    /** A dependency on a kind of node, spelled out: kafka: kafka-1..3; trino: the coordinator and its workers. */
    static List<String> expand(String self, List<String> after) {
        Map<String, List<String>> kinds = Map.of(
                "kafka", names("kafka-", StackConfig.KAFKA_NODES),
                "datanode", names("datanode-", StackConfig.DATANODES),
                "spark-worker", names("spark-worker-", StackConfig.SPARK_WORKERS),
                "trino", Stream.concat(Stream.of("trino"), names("trino-worker-", StackConfig.TRINO_WORKERS).stream()).toList());
        Set<String> out = new LinkedHashSet<>();
        for (String a : after) out.addAll(kinds.getOrDefault(a, List.of(a)));
        out.remove(self);
        if (self.startsWith("trino-worker-")) out.removeIf(n -> n.startsWith("trino-worker-"));
        return List.copyOf(out);
    }

    private static List<String> names(String prefix, int n) {
        return range(n).mapToObj(i -> prefix + i).toList();
    }

    private static IntStream range(int n) {
        return IntStream.rangeClosed(1, n);
    }

    /** The parts of the configured topology (QUESTLOG_TOPOLOGY, or the one `up` recorded). */
    public static List<Part> of(StackConfig c) {
        return c.cluster() ? cluster() : all();
    }

    public static List<String> names() {
        return all().stream().map(Part::name).toList();
    }

    /** Every name of either topology, for completion. */
    public static List<String> allNames() {
        Set<String> s = new LinkedHashSet<>(names());
        cluster().forEach(p -> s.add(p.name()));
        return List.copyOf(s);
    }

    public static Part named(String name) {
        return named(all(), name);
    }

    public static Part named(StackConfig c, String name) {
        return named(of(c), name);
    }

    private static Part named(List<Part> parts, String name) {
        return parts.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no part named " + name + "; parts: "
                        + parts.stream().map(Part::name).toList()));
    }
}
