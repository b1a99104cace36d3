package io.questlog.contract;

/**
 * One {@code QUESTLOG_*} environment variable: its name without the prefix, its default as written in the
 * README (null: none), who reads it, and one line of doc. {@link Env} reads values through these.
 */
public record Setting(String name, String dflt, String readBy, String doc) {
    public Setting {
        if (!name.matches("[a-z][a-z0-9_]*")) throw new IllegalArgumentException("setting name " + name);
    }

    /** The environment variable, e.g. {@code QUESTLOG_KAFKA_BOOTSTRAP}. */
    public String var() {
        return Env.varName(name);
    }

    public int intDefault() {
        return Integer.parseInt(dflt);
    }
}
