package io.questlog.stack.analysts;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Presto SQL against the local Trino over JDBC, and results printed as an aligned table. */
public final class Trino {
    private final StackConfig c;

    public Trino(StackConfig c) {
        this.c = c;
    }

    /** Header row first, then the rows, all as strings (Java null for SQL NULL). */
    public List<List<String>> query(String sql) {
        SQLException last = null;
        for (int attempt = 0; attempt < 10; attempt++) {
            try (Connection conn = DriverManager.getConnection(c.trinoJdbc());
                 Statement st = conn.createStatement();
                 ResultSet rs = st.executeQuery(sql)) {
                ResultSetMetaData md = rs.getMetaData();
                List<List<String>> out = new ArrayList<>();
                List<String> header = new ArrayList<>();
                for (int i = 1; i <= md.getColumnCount(); i++) header.add(md.getColumnLabel(i));
                out.add(header);
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        Object o = rs.getObject(i);
                        row.add(o == null ? null : o.toString());
                    }
                    out.add(row);
                }
                return out;
            } catch (SQLException e) {
                last = e;
                // Right after start Trino may not have registered its own worker yet.
                if (!String.valueOf(e.getMessage()).contains("No nodes available")) break;
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (last != null && last.getCause() instanceof java.io.IOException) {
            throw new StackException("Trino not reachable at " + c.trinoUrl() + ": run `./questlog up`");
        }
        throw new StackException("query failed: " + (last == null ? "?" : last.getMessage()));
    }

    public long count(String sql) {
        return Long.parseLong(query(sql).get(1).get(0));
    }

    public static String format(List<List<String>> rows) {
        rows = rows.stream().map(r -> r.stream().map(v -> v == null ? "NULL" : v).toList()).toList();
        int cols = rows.get(0).size();
        int[] w = new int[cols];
        for (List<String> r : rows) for (int i = 0; i < cols; i++) w[i] = Math.max(w[i], r.get(i).length());
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            for (int i = 0; i < cols; i++) {
                String v = rows.get(r).get(i);
                boolean numeric = r > 0 && v.matches("-?[0-9.]+");
                sb.append(i == 0 ? " " : " | ").append(numeric ? " ".repeat(w[i] - v.length()) + v : v + " ".repeat(w[i] - v.length()));
            }
            sb.append('\n');
            if (r == 0) {
                for (int i = 0; i < cols; i++) sb.append(i == 0 ? "-" : "-+-").append("-".repeat(w[i]));
                sb.append("\n");
            }
        }
        sb.append("(").append(rows.size() - 1).append(rows.size() == 2 ? " row)" : " rows)").append('\n');
        return sb.toString();
    }
}
