package io.questlog.stream.app;

import static io.questlog.contract.Settings.COMPACT_TARGET_SIZE;
import io.questlog.contract.Env;
import io.questlog.contract.Settings;
import io.questlog.stream.compact.Compactor;
import io.questlog.stream.compact.HiveLocationSwitch;
import io.questlog.stream.compact.PartitionLocations;
import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.publish.EventTablesWriter;
import io.questlog.contract.Route;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code questlog compact [TABLE] [DT]}: merges each partition's small files (see {@link Compactor}).
 * No TABLE: events, every routed table, bad_events and sessions. No DT: every dt before today (UTC),
 * the partitions that have stopped growing; a DT given is compacted whatever its date. Settings are the
 * {@code QUESTLOG_*} variables in the footer of {@code --help}. Exit 0 done, 1 a partition failed, 2 bad arguments or settings.
 */
@Command(name = "questlog compact", sortOptions = false, showDefaultValues = true,
        description = "Merges each partition's small files into few large ones and switches readers to them.")
public final class Compact implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "TABLE",
            description = "one table; default: events, every routed table, bad_events and sessions")
    private String table;

    @Parameters(index = "1", arity = "0..1", paramLabel = "DT",
            description = "one dt, as 2024-06-01, compacted whatever its date; default: every dt before today (UTC)")
    private String dt;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    private boolean help;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Compact());
        // the settings it reads, with the contract's defaults (annotations only take constants)
        List<String> settings = new ArrayList<>(List.of("", "Settings (QUESTLOG_* variables, default):",
                "  QUESTLOG_WAREHOUSE, QUESTLOG_ROUTES as the job's (the settings table in README.md)"));
        for (var s : List.of(Settings.HIVE_JDBC, Settings.HIVE_JDBC_JAR, Settings.COMPACT_PUBLISH_GRACE, Settings.COMPACT_READ_GRACE, COMPACT_TARGET_SIZE)) {
            settings.add(String.format("  %-30s %s", s.var(), s.dflt()));
        }
        settings.add("Exit 0 done, 1 a partition failed, 2 bad arguments or settings.");
        cmd.getCommandSpec().usageMessage().footer(settings.toArray(String[]::new)).footerHeading("");
        return cmd;
    }

    @Override
    public Integer call() throws Exception {
        Env env = Env.system();
        StreamConfig cfg;
        String hiveJdbc = env.string(Settings.HIVE_JDBC);
        String jar = env.string(Settings.HIVE_JDBC_JAR);
        Duration publishGrace = env.duration(Settings.COMPACT_PUBLISH_GRACE);
        Duration readGrace = env.duration(Settings.COMPACT_READ_GRACE);
        long target = env.bytes(COMPACT_TARGET_SIZE);
        try {
            cfg = StreamConfig.from(env);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return 2;
        }
        List<String> tables = new ArrayList<>(List.of(EventTablesWriter.EVENTS));
        cfg.routes().all().stream().map(Route::table).forEach(tables::add);
        tables.add(EventTablesWriter.BAD_EVENTS);
        tables.add(EventTablesWriter.SESSIONS);
        if ((table != null && !tables.contains(table)) || (dt != null && !dt.matches("\\d{4}-\\d{2}-\\d{2}"))) {
            throw new ParameterException(spec.commandLine(), "TABLE one of " + tables + ", DT as 2024-06-01");
        }
        if (table != null) tables = List.of(table);

        org.apache.hadoop.fs.Path warehouse = new org.apache.hadoop.fs.Path(cfg.warehouse());
        FileSystem fs = warehouse.getFileSystem(new Configuration());
        Compactor compactor = new Compactor(fs, warehouse, new HiveLocationSwitch(hiveJdbc, Path.of(jar)),
                publishGrace, readGrace, target);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        int failed = 0;
        for (String t : tables) {
            for (String d : dt != null ? List.of(dt) : dts(fs, warehouse, t)) {
                if (dt == null && d.compareTo(today) >= 0) continue;
                long start = System.currentTimeMillis();
                try {
                    System.out.println("compact " + compactor.compact(t, d) + " in "
                            + (System.currentTimeMillis() - start) + " ms");
                } catch (Exception e) {
                    failed++;
                    System.err.println("compact " + t + "/dt=" + d + " failed: " + e);
                }
            }
        }
        return failed == 0 ? 0 : 1;
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
