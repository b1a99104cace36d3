package io.questlog.stack;

import java.util.List;

/** `./questlog sessions --batch`: the stream-writer jar's batch recompute, through spark-submit. */
final class BatchSessions {
    private BatchSessions() {}

    static int run(StackConfig c) throws Exception {
        ProcessBuilder pb = Parts.sparkSubmit(c, List.of("-Xmx2g"), List.of("--master", "local[2]",
                "--class", "io.questlog.stream.sessions.CompareSessions", Build.jar(c, "stream-writer").toString()));
        pb.environment().put("QUESTLOG_WAREHOUSE", c.warehouse());
        return pb.inheritIO().start().waitFor();
    }
}
