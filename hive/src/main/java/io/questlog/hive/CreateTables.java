package io.questlog.hive;

import io.questlog.contract.Env;
import io.questlog.contract.Routes;
import io.questlog.contract.Settings;
import io.questlog.contract.Table;
import io.questlog.contract.TableCatalog;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * Creates Questlog's external tables in the Hive Metastore through HiveServer2 (idempotent:
 * CREATE ... IF NOT EXISTS), from the contract's table catalog. Settings: QUESTLOG_HIVE_JDBC, QUESTLOG_WAREHOUSE,
 * QUESTLOG_ROUTES (as the stream-writer).
 */
public final class CreateTables {
    public static void main(String[] args) throws Exception {
        Env env = Env.system();
        String url = env.string(Settings.HIVE_JDBC);
        String warehouse = env.string(Settings.WAREHOUSE);
        Routes routes = Routes.parse(env.string(Settings.ROUTES), env::error);
        env.validate("hive");
        Class.forName("org.apache.hive.jdbc.HiveDriver");
        try (Connection conn = DriverManager.getConnection(url, "questlog", "");
             Statement st = conn.createStatement()) {
            for (Table t : TableCatalog.all(routes)) {
                long t0 = System.nanoTime();
                st.execute(TableDdl.create(t, warehouse));
                // a table from an earlier version gets the columns added since (e.g. device_ts)
                Set<String> existing = new HashSet<>();
                try (var rs = st.executeQuery("DESCRIBE " + t.name())) {
                    while (rs.next()) existing.add(rs.getString(1).trim());
                }
                var alter = TableDdl.addMissingColumns(t, existing);
                if (alter.isPresent()) {
                    st.execute(alter.get());
                    System.out.println("table " + t.name() + ": " + alter.get());
                }
                System.out.printf("table %-16s ready (%d ms)%n", t.name(), (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (SQLException e) {
            System.err.println("HiveServer2 not reachable at " + url + " (" + e.getMessage() + "): run `./questlog up`");
            System.exit(1);
        }
    }
}
