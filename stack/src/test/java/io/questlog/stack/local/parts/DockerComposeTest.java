package io.questlog.stack.local.parts;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stack.local.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docker-compose.yml runs exactly the launcher's parts, and docker-compose.cluster.yml exactly the cluster's nodes,
 * each with `./questlog run PART`, so the files and the launcher cannot drift apart.
 */
class DockerComposeTest {
    static Stream<Arguments> topologies() {
        return Stream.of(Arguments.of("docker-compose.yml", Parts.all()), Arguments.of("docker-compose.cluster.yml", Parts.cluster()));
    }

    static String read(String file) {
        try {
            return Files.readString(Path.of("..", file));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void oneServicePerPartRunningThatPart(String file, List<Part> topology) {
        String compose = read(file);
        Set<String> parts = new LinkedHashSet<>(topology.stream().map(Part::name).toList());
        assertThat(all(compose, "(?m)^  ([a-z0-9-]+):\\s*$")).containsExactlyElementsOf(parts);
        assertThat(all(compose, "command: \\[ \"run\", \"([a-z0-9-]+)\" \\]")).containsExactlyElementsOf(parts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void healthChecksAndDependenciesNameRealParts(String file, List<Part> topology) {
        String compose = read(file);
        Set<String> parts = new LinkedHashSet<>(topology.stream().map(Part::name).toList());
        assertThat(all(compose, "\"health\", \"([a-z0-9-]+)\"")).isSubsetOf(parts);
        for (Part p : topology) {
            // the service's depends_on lists the part's own `after` parts, and only those
            String service = compose.substring(compose.indexOf("\n  " + p.name() + ":"));
            String block = service.substring(0, nextService(service));
            for (String dep : p.after()) assertThat(block).as(p.name() + " depends on " + dep).contains(dep + ":");
            Matcher m = Pattern.compile("(?m)^      ([a-z0-9-]+): \\{ condition").matcher(block);
            while (m.find()) assertThat(p.after()).as(p.name() + "'s depends_on").contains(m.group(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topologies")
    void theClusterFileRunsTheClusterTopology(String file, List<Part> topology) {
        assertThat(read(file).contains("QUESTLOG_TOPOLOGY: cluster")).isEqualTo(file.contains("cluster"));
    }

    private static int nextService(String s) {
        Matcher m = Pattern.compile("\n  [a-z0-9-]+:\\s*\n").matcher(s);
        return m.find(1) ? m.start() : s.length();
    }

    private static Set<String> all(String compose, String regex) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile(regex).matcher(compose.substring(compose.indexOf("services:"), compose.indexOf("\nvolumes:")));
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
