package io.questlog.stack.analysts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.stream.Collectors;

/** How `./questlog sql` and `query` print a result: an aligned table (default), CSV or JSON lines. */
public enum ResultFormat {
    ALIGNED, CSV, JSON;

    private static final ObjectMapper JSON_MAPPER = new ObjectMapper();

    public String format(List<List<String>> rows) {
        return switch (this) {
            case ALIGNED -> Trino.format(rows);
            case CSV -> rows.stream().map(r -> r.stream().map(ResultFormat::csvCell).collect(Collectors.joining(",")))
                    .collect(Collectors.joining("\n", "", "\n"));
            case JSON -> {
                StringBuilder sb = new StringBuilder();
                List<String> header = rows.get(0);
                ArrayNode all = JSON_MAPPER.createArrayNode();
                for (List<String> r : rows.subList(1, rows.size())) {
                    ObjectNode o = all.addObject();
                    for (int i = 0; i < header.size(); i++) {
                        if (r.get(i) == null) o.putNull(header.get(i)); else o.put(header.get(i), r.get(i));
                    }
                }
                all.forEach(o -> sb.append(o).append('\n'));
                yield sb.toString();
            }
        };
    }

    private static String csvCell(String v) {
        if (v == null) return "";
        return v.matches(".*[,\"\\n\\r].*") || v.isEmpty() ? "\"" + v.replace("\"", "\"\"") + "\"" : v;
    }
}
