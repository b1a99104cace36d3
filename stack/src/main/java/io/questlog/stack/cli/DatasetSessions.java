package io.questlog.stack.cli;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Build;
import io.questlog.stack.local.SparkSubmit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** `./questlog sessions --input ...`: the stream-writer jar's batch job over a dataset, on local Spark. */
final class DatasetSessions {
    private DatasetSessions() {}

    /** Null options are left to the job, which reads the challenge's variables (READ_PATH, GROUP_KEY, ...). */
    static int run(StackConfig c, String input, String groupKey, String userKey, String timestampKey,
                   String maxSessionSeconds, String output) throws Exception {
        List<String> args = new ArrayList<>(List.of("--master", "local[2]", Build.jar(c, "stream-writer").toString(), "sessions"));
        add(args, "--input", input == null ? null : local(input));
        add(args, "--group-key", groupKey);
        add(args, "--user-key", userKey);
        add(args, "--timestamp-key", timestampKey);
        add(args, "--max-session-seconds", maxSessionSeconds);
        // the launcher's output folder unless the user or WRITE_PATH names one
        add(args, "--output", output != null ? local(output) : System.getenv("WRITE_PATH") == null ? c.outputDir().toString() : null);
        return SparkSubmit.command(c, List.of("-Xmx2g"), args).inheritIO().start().waitFor();
    }

    private static void add(List<String> args, String option, String value) {
        if (value != null) {
            args.add(option);
            args.add(value);
        }
    }

    /** A path without a scheme is the user's, relative to where they are; Spark would read it from its own folder. */
    private static String local(String path) {
        return path.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? path : Path.of(path).toAbsolutePath().normalize().toString();
    }
}
