package io.questlog.stream.compact;

/** Points a partition at a new folder in the metastore, in one step (readers see the old or the new). */
@FunctionalInterface
public interface LocationSwitch {
    void setLocation(String table, String dt, String location) throws Exception;
}
