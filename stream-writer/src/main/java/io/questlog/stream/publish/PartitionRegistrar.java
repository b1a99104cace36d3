package io.questlog.stream.publish;

import java.util.List;

/**
 * Tells the metastore that {@code dt} partition folders exist, so SQL readers see their files.
 * Called once per (table, dt) per process, with all of a batch's new dts of a table at once, after
 * their folders are made and before any file lands in them.
 */
public interface PartitionRegistrar {
    /** Registration disabled: tests and {@code QUESTLOG_TRINO_JDBC=none}. */
    PartitionRegistrar NONE = (table, dts) -> { };

    /** Throws if the partitions could not be registered; the batch then fails and is replayed. */
    void register(String table, List<String> dts);
}
