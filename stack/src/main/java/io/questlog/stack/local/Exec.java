package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Runs a one-off command to completion (formatting storage, resolving jars), its output to a log. */
public final class Exec {
    private Exec() {}

    public static void run(StackConfig c, ProcessBuilder pb, Path log) throws IOException, InterruptedException {
        StateDirs.create(c, log.getParent());
        pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null"));
        int rc = pb.start().waitFor();
        if (rc != 0) {
            throw new StackException(String.join(" ", pb.command().subList(0, Math.min(3, pb.command().size())))
                    + "... failed (exit " + rc + "): see " + log + "\n" + Logs.tail(log, 15));
        }
    }

    /** Runs with the terminal attached, for steps whose own output is the progress a user wants to see. */
    public static int interactive(List<String> cmd, Path dir) throws IOException, InterruptedException {
        return new ProcessBuilder(cmd).directory(dir.toFile()).inheritIO().start().waitFor();
    }
}
