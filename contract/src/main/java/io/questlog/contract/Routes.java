package io.questlog.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The routing table from {@code QUESTLOG_ROUTES}: {@code event_type:table,...}. Several event types
 * may share a table; a new type gets its own table by configuration alone.
 */
public record Routes(List<Route> all) {
    public static final String DEFAULT = EventTypes.PURCHASE_SWORD + ":sword_purchases," + EventTypes.JOIN_GUILD + ":guild_joins";
    private static final Pattern NAME = Pattern.compile(TableCatalog.NAME_PATTERN);

    public Routes {
        all = List.copyOf(all);
    }

    /** Parses {@code spec}, reporting each problem to {@code errors}; bad entries are left out. */
    public static Routes parse(String spec, Consumer<String> errors) {
        Map<String, Set<String>> byTable = new LinkedHashMap<>();
        Set<String> seenTypes = new LinkedHashSet<>();
        for (String entry : spec.split(",")) {
            String e = entry.trim();
            if (e.isEmpty()) continue;
            String[] kv = e.split(":", -1);
            if (kv.length != 2 || !NAME.matcher(kv[0].trim()).matches() || !NAME.matcher(kv[1].trim()).matches()) {
                errors.accept("QUESTLOG_ROUTES entry '" + e
                        + "' must be event_type:table, both matching " + TableCatalog.NAME_PATTERN);
                continue;
            }
            String type = kv[0].trim();
            String table = kv[1].trim();
            if (TableCatalog.RESERVED.contains(table)) {
                errors.accept("QUESTLOG_ROUTES entry '" + e + "' routes into " + table
                        + ", which the job writes itself; pick another table name");
                continue;
            }
            if (!seenTypes.add(type)) {
                errors.accept("QUESTLOG_ROUTES routes event type " + type + " twice");
                continue;
            }
            byTable.computeIfAbsent(table, t -> new LinkedHashSet<>()).add(type);
        }
        List<Route> routes = new ArrayList<>();
        byTable.forEach((table, types) -> routes.add(new Route(table, types)));
        return new Routes(routes);
    }

    /** Parses {@code spec}, throwing on the first problem (for tools that read it once). */
    public static Routes parse(String spec) {
        return parse(spec, problem -> {
            throw new IllegalArgumentException(problem);
        });
    }

    /** {@code purchase_sword->sword_purchases,...}, for logs. */
    @Override
    public String toString() {
        return all.stream().flatMap(r -> r.eventTypes().stream().sorted().map(t -> t + "->" + r.table()))
                .collect(Collectors.joining(","));
    }

    public List<String> tables() {
        return all.stream().map(Route::table).toList();
    }

    /** Routed tables an event type goes to (zero or one). */
    public List<String> tablesFor(String eventType) {
        return all.stream().filter(r -> r.eventTypes().contains(eventType)).map(Route::table).toList();
    }
}
