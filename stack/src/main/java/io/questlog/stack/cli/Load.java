package io.questlog.stack.cli;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Build;
import io.questlog.stack.local.Jvm;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `./questlog load ab|users ARGS`: the loadgen/ tools, pointed at the local ingest API. */
@Command(name = "load", description = {"Drive traffic at the local ingest API: the ab scripts, or the generator of users and sessions.",
        "ARGS go to the tool as they are: ./questlog load ab --help, ./questlog load users --help."})
final class Load implements Callable<Integer> {
    enum Tool { ab, users }

    @ParentCommand Launcher top;
    @Parameters(index = "0", paramLabel = "TOOL", description = "${COMPLETION-CANDIDATES}: loadgen/ab/game-traffic.sh, or loadgen.jar.")
    Tool tool;
    @Parameters(index = "1..*", arity = "0..*", paramLabel = "ARGS", showDefaultValue = picocli.CommandLine.Help.Visibility.NEVER,
                description = "Arguments for the tool.")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return command(top.config(), tool.name(), args).inheritIO().start().waitFor();
    }

    static ProcessBuilder command(StackConfig c, String tool, List<String> args) {
        List<String> cmd = new ArrayList<>();
        if (tool.equals("ab")) {
            cmd.addAll(List.of("bash", c.root().resolve("loadgen/ab/game-traffic.sh").toString()));
        } else {
            cmd.addAll(List.of(Jvm.bin(), "-jar", Build.jar(c, "loadgen").toString()));
        }
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(c.root().toFile());
        pb.environment().put("QUESTLOG_INGEST_URL", c.ingestUrl());
        return pb;
    }
}
