package io.questlog.stack.local.parts;

import io.questlog.stack.local.Part;
import java.util.List;

/** The local stack's parts in start order, each bound to 127.0.0.1, state under QUESTLOG_HOME. */
public final class Parts {
    private Parts() {}

    public static List<Part> all() {
        return List.of(Kafka.part(), Hdfs.namenode(), Hdfs.datanode(), Hive.metastore(), Hive.hiveserver2(), TrinoServer.part(),
                IngestApi.part(), StreamWriter.part());
    }

    public static List<String> names() {
        return all().stream().map(Part::name).toList();
    }

    public static Part named(String name) {
        return all().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no part named " + name + "; parts: " + names()));
    }
}
