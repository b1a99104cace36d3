package io.questlog.contract;

/** A column's or envelope field's type, spelled as Hive DDL writes it and as Trino reports it. */
public enum Type {
    STRING("STRING", "varchar"),
    INT("INT", "integer"),
    BIGINT("BIGINT", "bigint"),
    /**
     * Epoch milliseconds in the envelope's JSON; a TIMESTAMP in the tables. Trino reports timestamp(6): the stack
     * reads Hive timestamps at microsecond precision (hive.timestamp-precision), as Spark writes them.
     */
    TIMESTAMP("TIMESTAMP", "timestamp(6)"),
    STRING_MAP("MAP<STRING, STRING>", "map(varchar, varchar)");

    private final String hive;
    private final String trino;

    Type(String hive, String trino) {
        this.hive = hive;
        this.trino = trino;
    }

    /** As Trino's information_schema.columns reports it for the Hive table. */
    public String trino() {
        return trino;
    }

    public String hive() {
        return hive;
    }
}
