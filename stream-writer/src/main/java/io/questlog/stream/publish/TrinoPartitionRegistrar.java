package io.questlog.stream.publish;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.trino.jdbc.TrinoDriver;
import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * Registers partitions with {@code CALL system.sync_partition_metadata(schema, table, 'ADD')} over
 * trino-jdbc (the catalog and schema come from the URL path, e.g. {@code /hive/default}): one call adds every
 * new {@code dt} folder of the table, however many a batch brought. Retries with doubling backoff, then throws
 * (the job then waits for Trino and replays the batch, see {@code Outage}). The driver is used directly, not through DriverManager, which does
 * not see drivers loaded by spark-submit's application class loader.
 */
public final class TrinoPartitionRegistrar implements PartitionRegistrar {
    private final String url;
    private final String schema;
    private final int attempts;
    private final Duration firstBackoff;

    public TrinoPartitionRegistrar(String url, int attempts, Duration firstBackoff) {
        this.url = url;
        this.schema = schemaOf(url);
        this.attempts = attempts;
        this.firstBackoff = firstBackoff;
    }

    public TrinoPartitionRegistrar(String url) {
        this(url, 5, Duration.ofSeconds(1));
    }

    /** The schema in {@code jdbc:trino://host:port/catalog/schema?...}, else {@code default}. */
    static String schemaOf(String url) {
        String path = URI.create(url.substring("jdbc:".length())).getPath();
        String[] parts = path == null ? new String[0] : path.replaceFirst("^/", "").split("/");
        return parts.length >= 2 && !parts[1].isBlank() ? parts[1] : "default";
    }

    @Override
    public void register(String table, List<String> dts) {
        String dt = dts.size() == 1 ? dts.get(0) : dts.size() + " dts " + dts.get(0) + ".." + dts.get(dts.size() - 1);
        String sql = "CALL system.sync_partition_metadata('" + schema + "', '" + table + "', 'ADD')";
        RetryPolicy<Object> retry = RetryPolicy.builder()
                .handle(SQLException.class)
                .withMaxAttempts(attempts)
                .withDelayFn(ctx -> firstBackoff.multipliedBy(1L << Math.min(ctx.getAttemptCount() - 1, 20)))
                .onFailedAttempt(e -> System.err.println("[questlog] registering " + table + "/dt=" + dt + " through Trino at "
                        + url + " failed (attempt " + e.getAttemptCount() + "/" + attempts + "): " + e.getLastException().getMessage()))
                .build();
        try {
            Failsafe.with(retry).run(() -> {
                try (Connection c = new TrinoDriver().connect(url, new Properties());
                     Statement s = c.createStatement()) {
                    s.setQueryTimeout(60); // a hung call fails and is retried instead of stalling the batch
                    s.execute(sql);
                }
            });
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException) throw new IllegalStateException("interrupted while waiting to retry", e.getCause());
            throw new IllegalStateException("Could not register partition " + table + "/dt=" + dt
                    + " through Trino at " + url + " after " + attempts + " attempts (is Trino up and does table "
                    + schema + "." + table + " exist? set QUESTLOG_TRINO_JDBC=none to skip registration)", e.getCause());
        }
    }
}
