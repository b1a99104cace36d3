package io.questlog.stack.cli;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import io.questlog.stack.local.Build;
import io.questlog.stack.local.SparkSubmit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * `./questlog compact [TABLE] [DT]`: the stream-writer jar's compaction (io.questlog.stream.app.Compact)
 * through spark-submit, which brings the Hadoop and Parquet it writes with; HiveServer2 moves the partition.
 */
@Command(name = "compact", description = "Merge a partition's small Parquet files while queries run.")
final class CompactCommand implements Callable<Integer> {
    @ParentCommand Launcher top;
    @Mixin Launcher.Help help;
    @Parameters(index = "0", arity = "0..1", paramLabel = "TABLE", description = "The table (none: every table).")
    String table;
    @Parameters(index = "1", arity = "0..1", paramLabel = "DT", description = "The dt partition, YYYY-MM-DD (none: every dt before today).")
    String dt;

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>();
        if (table != null) args.add(table);
        if (dt != null) args.add(dt);
        return run(top.config(), args);
    }

    static int run(StackConfig c, List<String> args) throws Exception {
        List<String> a = new ArrayList<>(List.of("--master", "local[1]", "--conf", "spark.ui.enabled=false",
                "--class", "io.questlog.stream.app.Compact", Build.jar(c, "stream-writer").toString()));
        a.addAll(args);
        ProcessBuilder pb = SparkSubmit.command(c, List.of("-Xmx1g"), a);
        pb.environment().put("QUESTLOG_WAREHOUSE", c.warehouse());
        pb.environment().put("QUESTLOG_HIVE_JDBC", c.hiveJdbc());
        pb.environment().put("QUESTLOG_HIVE_JDBC_JAR", hiveJdbcJar(c).toString());
        return pb.inheritIO().start().waitFor();
    }

    /** hive-jdbc's standalone jar, which `mvn package` copies to hive/target/lib/. */
    static Path hiveJdbcJar(StackConfig c) throws IOException {
        Path lib = c.root().resolve("hive").resolve("target").resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> s = Files.list(lib)) {
                var jar = s.filter(p -> p.getFileName().toString().matches("hive-jdbc-.*-standalone\\.jar")).findFirst();
                if (jar.isPresent()) return jar.get();
            }
        }
        throw new StackException("no hive-jdbc standalone jar in " + lib + ": build first (mvn -B package -DskipTests)");
    }
}
