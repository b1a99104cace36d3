package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** Creates the Hive tables through HiveServer2 by running the hive/ module's tool (idempotent). */
public final class Tables {
    private Tables() {}

    public static void create(StackConfig c) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Jvm.bin(), "-jar", Build.jar(c, "hive").toString());
        pb.environment().put("QUESTLOG_HIVE_JDBC", c.hiveJdbc());
        pb.environment().put("QUESTLOG_WAREHOUSE", c.warehouse());
        var log = c.home().resolve("logs").resolve("tables.log");
        Exec.run(c, pb, log);
        List<String> lines = Files.readAllLines(log);
        lines.stream().filter(l -> l.startsWith("table ")).forEach(l -> System.out.println("  " + l));
    }
}
