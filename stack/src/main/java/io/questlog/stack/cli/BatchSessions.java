package io.questlog.stack.cli;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Build;
import io.questlog.stack.local.SparkSubmit;
import java.util.List;

/** `./questlog sessions --batch`: the stream-writer jar's batch recompute, through spark-submit. */
final class BatchSessions {
    private BatchSessions() {}

    static int run(StackConfig c) throws Exception {
        ProcessBuilder pb = SparkSubmit.command(c, List.of("-Xmx2g"), List.of("--master", "local[2]",
                "--class", "io.questlog.stream.app.CompareSessions", Build.jar(c, "stream-writer").toString()));
        pb.environment().put("QUESTLOG_WAREHOUSE", c.warehouse());
        return pb.inheritIO().start().waitFor();
    }
}
