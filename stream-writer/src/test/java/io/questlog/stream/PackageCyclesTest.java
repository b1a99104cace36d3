package io.questlog.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Dependencies between the job's packages run one way (app -> pipeline -> publish/compact/sessions/... -> parse), read from the sources' imports. */
class PackageCyclesTest {
    private static final Path MAIN = Path.of("src/main/java/io/questlog/stream");
    private static final Pattern IMPORT = Pattern.compile("(?m)^import (?:static )?io\\.questlog\\.stream\\.(\\w+)\\.");

    @Test
    void packagesImportEachOtherInOneDirectionOnly() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String pkg = MAIN.relativize(f.getParent()).toString();
                assertThat(pkg).as("%s: a class outside a feature package", f).isNotEmpty();
                Set<String> to = uses.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) if (!m.group(1).equals(pkg)) to.add(m.group(1));
            }
        }
        assertThat(uses).containsKeys("app", "pipeline", "parse");
        Set<String> done = new TreeSet<>();
        for (String pkg : uses.keySet()) assertThat(cycleFrom(pkg, uses, new ArrayList<>(), done)).as("a cycle of imports").isEmpty();
    }

    /** Depth-first: the first cycle reachable from {@code pkg} as a path (a -> b -> a), or empty. */
    private static List<String> cycleFrom(String pkg, Map<String, Set<String>> uses, List<String> path, Set<String> done) {
        if (path.contains(pkg)) {
            List<String> cycle = new ArrayList<>(path.subList(path.indexOf(pkg), path.size()));
            cycle.add(pkg);
            return cycle;
        }
        if (done.contains(pkg)) return List.of();
        path.add(pkg);
        for (String next : uses.getOrDefault(pkg, Set.of())) {
            List<String> cycle = cycleFrom(next, uses, path, done);
            if (!cycle.isEmpty()) return cycle;
        }
        path.remove(path.size() - 1);
        done.add(pkg);
        return List.of();
    }
}
