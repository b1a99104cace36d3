package io.questlog.stream.compact;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.Statement;
import java.util.Properties;

/**
 * {@code ALTER TABLE t PARTITION (dt='d') SET LOCATION '...'} through HiveServer2: one metastore
 * alter_partition call, so a Trino query sees the old folder or the new one, never neither. hive-jdbc's
 * standalone jar carries its own Hadoop classes, so it is loaded in a class loader of its own, apart
 * from the Hadoop and Parquet this JVM writes files with.
 */
public final class HiveLocationSwitch implements LocationSwitch {
    private final String url;
    private final Path driverJar;

    public HiveLocationSwitch(String url, Path driverJar) {
        if (!Files.isRegularFile(driverJar)) {
            throw new IllegalArgumentException("hive-jdbc standalone jar not found at " + driverJar
                    + " (QUESTLOG_HIVE_JDBC_JAR; `mvn -B package` puts it in hive/target/lib/)");
        }
        this.url = url;
        this.driverJar = driverJar;
    }

    @Override
    public void setLocation(String table, String dt, String location) throws Exception {
        if (!table.matches("[a-z_][a-z0-9_]*") || !dt.matches("[0-9-]+") || location.contains("'")) {
            throw new IllegalArgumentException("unexpected table, dt or location: " + table + ", " + dt + ", " + location);
        }
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {driverJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
            thread.setContextClassLoader(loader);
            Driver driver = (Driver) Class.forName("org.apache.hive.jdbc.HiveDriver", true, loader).getDeclaredConstructor().newInstance();
            try (Connection c = driver.connect(url, new Properties()); Statement s = c.createStatement()) {
                s.execute("ALTER TABLE " + table + " PARTITION (dt='" + dt + "') SET LOCATION '" + location + "'");
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
