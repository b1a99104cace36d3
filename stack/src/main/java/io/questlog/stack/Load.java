package io.questlog.stack;

import java.util.ArrayList;
import java.util.List;

/** `./questlog load ab|users ARGS`: the loadgen/ tools, pointed at the local ingest API. */
final class Load {
    private Load() {}

    static int run(StackConfig c, List<String> args) throws Exception {
        if (args.isEmpty() || !(args.get(0).equals("ab") || args.get(0).equals("users"))) {
            throw new StackException("./questlog load ab [ARGS]  (loadgen/ab/game-traffic.sh --help)\n"
                    + "          ./questlog load users [ARGS]  (java -jar loadgen/target/loadgen.jar --help)");
        }
        ProcessBuilder pb = command(c, args.get(0), args.subList(1, args.size()));
        return pb.inheritIO().start().waitFor();
    }

    static ProcessBuilder command(StackConfig c, String tool, List<String> args) {
        List<String> cmd = new ArrayList<>();
        if (tool.equals("ab")) {
            cmd.addAll(List.of("bash", c.root().resolve("loadgen/ab/game-traffic.sh").toString()));
        } else {
            cmd.addAll(List.of(Parts.javaBin(), "-jar", Build.jar(c, "loadgen").toString()));
        }
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(c.root().toFile());
        pb.environment().put("QUESTLOG_INGEST_URL", c.ingestUrl());
        return pb;
    }
}
