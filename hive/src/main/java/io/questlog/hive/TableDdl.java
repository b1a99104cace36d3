package io.questlog.hive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the CREATE statements of every table from the HQL templates: pure, no I/O beyond resources. */
public final class TableDdl {
    private TableDdl() {}

    /** Table name to its statement: events, the routed tables, sessions, bad_events. */
    public static Map<String, String> statements(String warehouse, List<String> routedTables) {
        String w = warehouse.replaceAll("/+$", "");
        List<String> eventTables = new ArrayList<>();
        eventTables.add("events");
        eventTables.addAll(routedTables);
        Map<String, String> out = new LinkedHashMap<>();
        for (String t : eventTables) {
            if (!t.matches("[a-z][a-z0-9_]{0,63}")) {
                throw new IllegalArgumentException("table name '" + t + "' must match [a-z][a-z0-9_]{0,63}");
            }
            out.put(t, render("event_table.hql", w, t));
        }
        out.put("sessions", render("sessions.hql", w, "sessions"));
        out.put("bad_events", render("bad_events.hql", w, "bad_events"));
        return out;
    }

    /**
     * The ALTER statement that gives a table created by an earlier version the columns its CREATE statement
     * has and {@code existing} (the table's column names, any case) lacks, if any: CREATE ... IF NOT EXISTS leaves
     * an existing table as it was. Columns are added at the end, as Hive adds them; Parquet is read by name.
     */
    public static java.util.Optional<String> addMissingColumns(String table, String createStatement, java.util.Set<String> existing) {
        String body = createStatement.substring(createStatement.indexOf('(') + 1, createStatement.indexOf("\n)"));
        List<String> missing = new ArrayList<>();
        for (String line : body.split(",\n")) {
            String column = line.trim();
            String name = column.split("\\s+")[0];
            if (!name.isEmpty() && existing.stream().noneMatch(name::equalsIgnoreCase)) missing.add(column);
        }
        return missing.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of("ALTER TABLE " + table + " ADD COLUMNS (" + String.join(", ", missing) + ")");
    }

    /** Tables named by a routes setting such as {@code purchase_sword:sword_purchases,join_guild:guild_joins}. */
    public static List<String> routedTables(String routes) {
        List<String> tables = new ArrayList<>();
        for (String r : routes.split(",")) {
            if (r.isBlank()) continue;
            String[] kv = r.split(":");
            if (kv.length != 2) throw new IllegalArgumentException("route '" + r + "' is not event_type:table");
            if (!tables.contains(kv[1].trim())) tables.add(kv[1].trim());
        }
        return tables;
    }

    private static String render(String template, String warehouse, String table) {
        try (InputStream in = TableDdl.class.getResourceAsStream("/hql/" + template)) {
            String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            sql = sql.replaceAll("(?m)^--.*\\n", "").trim();
            return sql.replace("${table}", table).replace("${warehouse}", warehouse);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
