package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Trino 476 needs a JDK 22 or newer; the rest of the stack runs on the JDK 17 that runs us. */
public final class Jdks {
    private static final Pattern VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");

    private Jdks() {}

    public static Path forTrino(StackConfig c) {
        if (c.trinoJavaHome() != null) {
            Path p = Path.of(c.trinoJavaHome());
            if (major(p).orElse(0) < 22) {
                throw new StackException("QUESTLOG_TRINO_JAVA_HOME=" + p + " is not a JDK 22 or newer: Trino 476 needs one");
            }
            return p;
        }
        try (var dirs = Files.list(Path.of("/usr/lib/jvm"))) {
            return dirs.filter(d -> major(d).orElse(0) >= 22)
                    .max(Comparator.comparing(d -> major(d).orElse(0)))
                    .orElseThrow(Jdks::missing);
        } catch (IOException e) {
            throw missing();
        }
    }

    private static StackException missing() {
        return new StackException("no JDK 22+ found for Trino: install one (e.g. apt-get install -y openjdk-25-jdk-headless"
                + " or Temurin 25) and set QUESTLOG_TRINO_JAVA_HOME to it");
    }

    static Optional<Integer> major(Path jdk) {
        try {
            Matcher m = VERSION.matcher(Files.readString(jdk.resolve("release")));
            return m.find() && Files.isExecutable(jdk.resolve("bin/java")) ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
