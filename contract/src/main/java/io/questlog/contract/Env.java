package io.questlog.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of {@code QUESTLOG_<NAME>} settings with documented defaults.
 * Bad values are collected, not thrown one by one, so a user sees every mistake at once
 * (call {@link #validate()} after reading all settings of a module).
 */
public final class Env {
    private static final Pattern DURATION = Pattern.compile(
            "\\s*(\\d+)\\s*(ms|milliseconds?|s|sec|seconds?|m|min|minutes?|h|hours?|d|days?)\\s*");

    private final Map<String, String> vars;
    private final List<String> errors = new ArrayList<>();

    public Env(Map<String, String> vars) {
        this.vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    /** The raw variable name for a setting, e.g. {@code kafka_bootstrap -> QUESTLOG_KAFKA_BOOTSTRAP}. */
    public static String varName(String name) {
        return "QUESTLOG_" + name.toUpperCase();
    }

    public String string(String name, String dflt) {
        String v = vars.get(varName(name));
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    public int integer(String name, int dflt) {
        String v = string(name, null);
        if (v == null) return dflt;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            errors.add(varName(name) + "=" + v + " is not an integer");
            return dflt;
        }
    }

    public long bytes(String name, long dflt) {
        String v = string(name, null);
        if (v == null) return dflt;
        Matcher m = Pattern.compile("(\\d+)\\s*([kKmMgG]i?[bB]?)?").matcher(v);
        if (!m.matches()) {
            errors.add(varName(name) + "=" + v + " is not a size (e.g. 1048576, 512KiB, 1MiB)");
            return dflt;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2).substring(0, 1).toLowerCase();
        return switch (unit) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
    }

    public boolean bool(String name, boolean dflt) {
        String v = string(name, null);
        if (v == null) return dflt;
        return switch (v.toLowerCase()) {
            case "1", "true", "yes", "on" -> true;
            case "0", "false", "no", "off" -> false;
            default -> {
                errors.add(varName(name) + "=" + v + " is not a boolean (true/false)");
                yield dflt;
            }
        };
    }

    /** Durations as people write them in Spark and shell: "10 seconds", "30 minutes", "500ms", "2h". */
    public Duration duration(String name, String dflt) {
        String v = string(name, dflt);
        Duration d = parseDuration(v);
        if (d == null) {
            errors.add(varName(name) + "=" + v + " is not a duration (e.g. '10 seconds', '30 minutes')");
            return parseDuration(dflt);
        }
        return d;
    }

    public static Duration parseDuration(String v) {
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) return null;
        long n = Long.parseLong(m.group(1));
        String u = m.group(2);
        if (u.equals("ms") || u.startsWith("milli")) return Duration.ofMillis(n);
        if (u.startsWith("s")) return Duration.ofSeconds(n);
        if (u.startsWith("m")) return Duration.ofMinutes(n);
        if (u.startsWith("h")) return Duration.ofHours(n);
        return Duration.ofDays(n);
    }

    // The same reads by the catalog's setting (Settings), with its written default.

    public String string(Setting s) {
        return string(s.name(), s.dflt());
    }

    public int integer(Setting s) {
        return integer(s.name(), s.intDefault());
    }

    public long bytes(Setting s) {
        return bytes(s.name(), parseBytesDefault(s));
    }

    public Duration duration(Setting s) {
        return duration(s.name(), s.dflt());
    }

    private static long parseBytesDefault(Setting s) {
        Env e = new Env(Map.of(s.var(), s.dflt()));
        long v = e.bytes(s.name(), -1);
        if (!e.errors().isEmpty()) throw new IllegalStateException(e.errors().toString());
        return v;
    }

    /** Adds a problem found by a module's own cross-field checks. */
    public void error(String message) {
        errors.add(message);
    }

    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Throws with every collected problem, one per line, if there are any. */
    public void validate(String module) {
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("Invalid " + module + " configuration:\n  "
                    + String.join("\n  ", errors));
        }
    }
}
