package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where this project's own runnable jars are after `mvn package`. */
public final class Build {
    private Build() {}

    public static Path jar(StackConfig c, String module) {
        Path jar = c.root().resolve(module).resolve("target").resolve(module + ".jar");
        if (!Files.exists(jar)) {
            throw new StackException(jar + " is missing: build first (./questlog builds when needed, or mvn -B package -DskipTests)");
        }
        return jar;
    }
}
