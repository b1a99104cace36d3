package io.questlog.stream.app;

import io.questlog.contract.Env;
import io.questlog.stream.compact.Compactor;
import io.questlog.stream.compact.HiveLocationSwitch;
import io.questlog.stream.compact.PartitionLocations;
import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.publish.EventTablesWriter;
import io.questlog.stream.route.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * {@code questlog compact [TABLE] [DT]}: merges each partition's small files (see {@link Compactor}).
 * No TABLE: events, every routed table, bad_events and sessions. No DT: every dt before today (UTC),
 * the partitions that have stopped growing; a DT given is compacted whatever its date. Settings:
 * QUESTLOG_WAREHOUSE, QUESTLOG_ROUTES, QUESTLOG_HIVE_JDBC, QUESTLOG_HIVE_JDBC_JAR,
 * QUESTLOG_COMPACT_PUBLISH_GRACE (10 seconds), QUESTLOG_COMPACT_READ_GRACE (60 seconds),
 * QUESTLOG_COMPACT_TARGET_SIZE (256m). Exit 0 done, 1 a partition failed, 2 bad arguments or settings.
 */
public final class Compact {
    private Compact() {
    }

    public static void main(String[] args) throws Exception {
        Env env = Env.system();
        StreamConfig cfg;
        String hiveJdbc = env.string("hive_jdbc", "jdbc:hive2://127.0.0.1:10000/default");
        String jar = env.string("hive_jdbc_jar", "hive/target/lib/hive-jdbc-4.0.1-standalone.jar");
        Duration publishGrace = env.duration("compact_publish_grace", "10 seconds");
        Duration readGrace = env.duration("compact_read_grace", "60 seconds");
        long target = env.bytes("compact_target_size", 256L << 20);
        try {
            cfg = StreamConfig.from(env);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<String> tables = new ArrayList<>(List.of(EventTablesWriter.EVENTS));
        cfg.routes().all().stream().map(Route::table).forEach(tables::add);
        tables.add(EventTablesWriter.BAD_EVENTS);
        tables.add(EventTablesWriter.SESSIONS);
        if (args.length > 2 || (args.length >= 1 && !tables.contains(args[0])) || (args.length == 2 && !args[1].matches("\\d{4}-\\d{2}-\\d{2}"))) {
            System.err.println("usage: questlog compact [TABLE] [DT]   TABLE one of " + tables + ", DT as 2024-06-01");
            System.exit(2);
        }
        if (args.length >= 1) tables = List.of(args[0]);

        org.apache.hadoop.fs.Path warehouse = new org.apache.hadoop.fs.Path(cfg.warehouse());
        FileSystem fs = warehouse.getFileSystem(new Configuration());
        Compactor compactor = new Compactor(fs, warehouse, new HiveLocationSwitch(hiveJdbc, Path.of(jar)),
                publishGrace, readGrace, target);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        int failed = 0;
        for (String table : tables) {
            for (String dt : args.length == 2 ? List.of(args[1]) : dts(fs, warehouse, table)) {
                if (args.length < 2 && dt.compareTo(today) >= 0) continue;
                long start = System.currentTimeMillis();
                try {
                    System.out.println("compact " + compactor.compact(table, dt) + " in "
                            + (System.currentTimeMillis() - start) + " ms");
                } catch (Exception e) {
                    failed++;
                    System.err.println("compact " + table + "/dt=" + dt + " failed: " + e);
                }
            }
        }
        System.exit(failed == 0 ? 0 : 1);
    }

    /** The table's dts: canonical dt= folders and compacted ones. */
    static List<String> dts(FileSystem fs, org.apache.hadoop.fs.Path warehouse, String table) throws Exception {
        TreeSet<String> out = new TreeSet<>();
        org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(warehouse, table);
        for (org.apache.hadoop.fs.Path d : List.of(dir, new org.apache.hadoop.fs.Path(dir, PartitionLocations.COMPACTED))) {
            if (!fs.exists(d)) continue;
            for (FileStatus f : fs.listStatus(d)) {
                String n = f.getPath().getName();
                if (f.isDirectory() && n.startsWith("dt=")) out.add(n.substring(3));
            }
        }
        return new ArrayList<>(out);
    }
}
