package io.questlog.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The launcher's packages by audience, imports pointing only one way: cli uses the rest, nothing uses cli. */
class PackagesTest {
    static final Map<String, Set<String>> MAY_USE = Map.of(
            "config", Set.of(),
            "local", Set.of("config"),
            "local.parts", Set.of("config", "local"),
            "analysts", Set.of("config"),
            "cli", Set.of("config", "local", "local.parts", "analysts"));
    static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?io\\.questlog\\.stack\\.([a-z.]+)\\.[A-Z]");

    @Test
    void importsRunOneWay() throws Exception {
        Path root = Path.of("src/main/java/io/questlog/stack");
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = root.relativize(f.getParent()).toString().replace('/', '.');
                assertThat(MAY_USE).as("package of " + f).containsKey(pkg);
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) assertThat(MAY_USE.get(pkg)).as(f + " imports " + m.group(1)).contains(m.group(1));
            }
        }
    }
}
