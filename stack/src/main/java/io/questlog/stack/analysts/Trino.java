package io.questlog.stack.analysts;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Presto SQL against the local Trino over JDBC, and results printed as an aligned table. */
public final class Trino {
    /** Right after start Trino may not have registered its own worker yet: asked again every 2 s, 10 times in all. */
    private static final RetryPolicy<List<List<String>>> NO_NODES_YET = RetryPolicy.<List<List<String>>>builder()
            .handleIf(e -> String.valueOf(e.getMessage()).contains("No nodes available"))
            .withDelay(Duration.ofSeconds(2)).withMaxAttempts(10).build();

    private final StackConfig c;

    public Trino(StackConfig c) {
        this.c = c;
    }

    /** Header row first, then the rows, all as strings (Java null for SQL NULL). */
    public List<List<String>> query(String sql) {
        try {
            return Failsafe.with(NO_NODES_YET).get(() -> once(sql));
        } catch (FailsafeException e) { // the SQLException, or an interrupt between attempts
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while querying Trino");
            }
            if (causedBy(e.getCause(), IOException.class)) { // Trino's JDBC wraps the ConnectException in another exception
                throw new StackException("Trino not reachable at " + c.trinoUrl() + ": run `./questlog up`");
            }
            throw new StackException("query failed: " + e.getCause().getMessage());
        }
    }

    /** Whether {@code type} is anywhere in the cause chain (the stack's one cause-chain walker). */
    static boolean causedBy(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) return true;
        }
        return false;
    }

    private List<List<String>> once(String sql) throws SQLException {
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
        }
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
