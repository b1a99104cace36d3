package io.questlog.stream.publish;

/**
 * Tells the metastore that a {@code dt} partition folder exists, so SQL readers see its files.
 * Called once per (table, dt) per process, after the folder is made and before any file lands in it.
 */
public interface PartitionRegistrar {
    /** Registration disabled: tests and {@code QUESTLOG_TRINO_JDBC=none}. */
    PartitionRegistrar NONE = (table, dt) -> { };

    /** Throws if the partition could not be registered; the batch then fails and is replayed. */
    void register(String table, String dt);
}
