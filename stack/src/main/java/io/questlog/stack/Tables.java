package io.questlog.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

/** Creates the Hive tables through HiveServer2 by running the hive/ module's tool (idempotent). */
final class Tables {
    private Tables() {}

    static void create(StackConfig c) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Parts.javaBin(), "-jar", Build.jar(c, "hive").toString());
        pb.environment().put("QUESTLOG_HIVE_JDBC", c.hiveJdbc());
        pb.environment().put("QUESTLOG_WAREHOUSE", c.warehouse());
        var log = c.home().resolve("logs").resolve("tables.log");
        Exec.run(c, pb, log);
        List<String> lines = Files.readAllLines(log);
        lines.stream().filter(l -> l.startsWith("table ")).forEach(l -> System.out.println("  " + l));
    }
}
