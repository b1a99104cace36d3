package io.questlog.stack.local.parts;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stack.local.Part;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml runs exactly the launcher's parts, each with `./questlog run PART`, so the two cannot drift apart. */
class DockerComposeTest {
    final String compose = read();

    static String read() {
        try {
            return Files.readString(Path.of("../docker-compose.yml"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void oneServicePerPartRunningThatPart() {
        Set<String> parts = new LinkedHashSet<>(Parts.all().stream().map(Part::name).toList());
        assertThat(all("(?m)^  ([a-z0-9-]+):\\s*$")).containsExactlyElementsOf(parts);
        assertThat(all("command: \\[ \"run\", \"([a-z0-9-]+)\" \\]")).containsExactlyElementsOf(parts);
    }

    @Test
    void healthChecksAndDependenciesNameRealParts() {
        Set<String> parts = new LinkedHashSet<>(Parts.all().stream().map(Part::name).toList());
        assertThat(all("\"health\", \"([a-z0-9-]+)\"")).isSubsetOf(parts);
        for (Part p : Parts.all()) {
            // the service's depends_on lists the part's own `after` parts
            String service = compose.substring(compose.indexOf("\n  " + p.name() + ":"));
            String block = service.substring(0, nextService(service));
            for (String dep : p.after()) assertThat(block).as(p.name() + " depends on " + dep).contains(dep + ":");
        }
    }

    private static int nextService(String s) {
        Matcher m = Pattern.compile("\n  [a-z0-9-]+:\\s*\n").matcher(s);
        return m.find(1) ? m.start() : s.length();
    }

    private Set<String> all(String regex) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = Pattern.compile(regex).matcher(compose.substring(compose.indexOf("services:"), compose.indexOf("\nvolumes:")));
        while (m.find()) out.add(m.group(1));
        return out;
    }
}
