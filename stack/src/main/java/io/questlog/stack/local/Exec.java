package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/** Runs a one-off command to completion (formatting storage, resolving jars), its output to a log. */
public final class Exec {
    private Exec() {}

    public static void run(StackConfig c, ProcessBuilder pb, Path log) throws IOException, InterruptedException {
        StateDirs.create(c, log.getParent());
        pb.redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(new File("/dev/null"));
        check(pb, pb.start().waitFor(), log);
    }

    /** Like {@link #run(StackConfig, ProcessBuilder, Path)}, also handing each output line to {@code eachLine} as it comes. */
    public static void run(StackConfig c, ProcessBuilder pb, Path log, Consumer<String> eachLine) throws IOException, InterruptedException {
        StateDirs.create(c, log.getParent());
        pb.redirectErrorStream(true).redirectInput(new File("/dev/null"));
        Process p = pb.start();
        try (BufferedReader in = p.inputReader(); BufferedWriter w = Files.newBufferedWriter(log)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                w.write(line);
                w.newLine();
                eachLine.accept(line);
            }
        } finally {
            if (p.isAlive()) p.destroy(); // only when reading failed: the process had not ended
        }
        check(pb, p.waitFor(), log);
    }

    private static void check(ProcessBuilder pb, int rc, Path log) {
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
