package io.questlog.contract;

import java.util.List;

/**
 * One table the pipeline writes: Parquet files under {@code <warehouse>/<name>/dt=YYYY-MM-DD/}, an external Hive
 * table over them, partitioned by {@link TableCatalog#PARTITION} (a STRING).
 */
public record Table(String name, String doc, List<Field> columns) {
    public Table {
        if (!name.matches(TableCatalog.NAME_PATTERN)) {
            throw new IllegalArgumentException("table name '" + name + "' must match " + TableCatalog.NAME_PATTERN);
        }
        columns = List.copyOf(columns);
    }

    public List<String> columnNames() {
        return columns.stream().map(Field::name).toList();
    }
}
