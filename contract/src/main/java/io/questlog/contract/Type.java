package io.questlog.contract;

/** A column's or envelope field's type, with its spelling in Hive DDL (Trino reads the same tables). */
public enum Type {
    STRING("STRING"),
    INT("INT"),
    BIGINT("BIGINT"),
    /** Epoch milliseconds in the envelope's JSON; a TIMESTAMP in the tables. */
    TIMESTAMP("TIMESTAMP"),
    STRING_MAP("MAP<STRING, STRING>");

    private final String hive;

    Type(String hive) {
        this.hive = hive;
    }

    public String hive() {
        return hive;
    }
}
