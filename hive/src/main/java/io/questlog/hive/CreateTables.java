package io.questlog.hive;

import io.questlog.contract.Env;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Creates Questlog's external tables in the Hive Metastore through HiveServer2 (idempotent:
 * CREATE ... IF NOT EXISTS). Settings: QUESTLOG_HIVE_JDBC (jdbc:hive2://127.0.0.1:10000/default),
 * QUESTLOG_WAREHOUSE (hdfs://localhost:8020/questlog/warehouse), QUESTLOG_ROUTES (as the stream-writer).
 */
public final class CreateTables {
    public static void main(String[] args) throws Exception {
        Env env = Env.system();
        String url = env.string("hive_jdbc", "jdbc:hive2://127.0.0.1:10000/default");
        String warehouse = env.string("warehouse", "hdfs://localhost:8020/questlog/warehouse");
        String routes = env.string("routes", "purchase_sword:sword_purchases,join_guild:guild_joins");
        env.validate("hive");
        Map<String, String> ddl = TableDdl.statements(warehouse, TableDdl.routedTables(routes));
        Class.forName("org.apache.hive.jdbc.HiveDriver");
        try (Connection conn = DriverManager.getConnection(url, "questlog", "");
             Statement st = conn.createStatement()) {
            for (var e : ddl.entrySet()) {
                long t0 = System.nanoTime();
                st.execute(e.getValue());
                // a table from an earlier version gets the columns added since (e.g. device_ts)
                java.util.Set<String> existing = new java.util.HashSet<>();
                try (var rs = st.executeQuery("DESCRIBE " + e.getKey())) {
                    while (rs.next()) existing.add(rs.getString(1).trim());
                }
                var alter = TableDdl.addMissingColumns(e.getKey(), e.getValue(), existing);
                if (alter.isPresent()) {
                    st.execute(alter.get());
                    System.out.println("table " + e.getKey() + ": " + alter.get());
                }
                System.out.printf("table %-16s ready (%d ms)%n", e.getKey(), (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (SQLException e) {
            System.err.println("HiveServer2 not reachable at " + url + " (" + e.getMessage() + "): run `./questlog up`");
            System.exit(1);
        }
    }
}
