package io.questlog.hive;

import io.questlog.contract.Field;
import io.questlog.contract.Routes;
import io.questlog.contract.Table;
import io.questlog.contract.TableCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Renders the HQL of every table from the contract's catalog: pure, no I/O. */
public final class TableDdl {
    private TableDdl() {}

    /** Table name to its CREATE statement: events, the routed tables, sessions, bad_events. */
    public static Map<String, String> statements(String warehouse, Routes routes) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Table t : TableCatalog.all(routes)) out.put(t.name(), create(t, warehouse));
        return out;
    }

    /** An external Parquet table over {@code <warehouse>/<name>}, partitioned by dt. */
    public static String create(Table t, String warehouse) {
        List<String> columns = t.columns().stream().map(c -> column(t, c)).toList();
        return "CREATE EXTERNAL TABLE IF NOT EXISTS " + t.name() + " (\n  " + String.join(",\n  ", columns) + "\n)\n"
                + "PARTITIONED BY (" + TableCatalog.PARTITION + " STRING)\n"
                + "STORED AS PARQUET\n"
                + "LOCATION '" + warehouse.replaceAll("/+$", "") + "/" + t.name() + "'";
    }

    /**
     * The ALTER statement that gives a table created by an earlier version the columns the catalog has and
     * {@code existing} (the table's column names, any case) lacks, if any: CREATE ... IF NOT EXISTS leaves an
     * existing table as it was. Columns are added at the end, as Hive adds them; Parquet is read by name.
     */
    public static Optional<String> addMissingColumns(Table t, Set<String> existing) {
        List<String> missing = new ArrayList<>();
        for (Field c : t.columns()) {
            if (existing.stream().noneMatch(c.name()::equalsIgnoreCase)) missing.add(column(t, c));
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("ALTER TABLE " + t.name() + " ADD COLUMNS (" + String.join(", ", missing) + ")");
    }

    /** {@code name TYPE}, names padded to one column per table so the statement reads as a table. */
    private static String column(Table t, Field c) {
        int width = t.columns().stream().mapToInt(f -> f.name().length()).max().orElse(0) + 1;
        return String.format("%-" + Math.max(width, 16) + "s%s", c.name(), c.type().hive());
    }
}
