package io.questlog.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final String BEGIN = "<!-- settings: generated from contract's Settings.java; SettingsTest checks it -->\n";
    private static final String END = "<!-- settings end -->";

    @Test
    void readmeTableIsTheCatalog() throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        int b = readme.indexOf(BEGIN);
        int e = readme.indexOf(END);
        assertTrue(b >= 0 && e > b, "README.md lacks the settings markers " + BEGIN.strip() + " ... " + END);
        assertEquals(Settings.markdownTable(), readme.substring(b + BEGIN.length(), e),
                "README.md's settings table differs from Settings.java: paste the expected text between the markers");
    }

    @Test
    void namesAreUniqueAndDefaultsParse() {
        Set<String> seen = new HashSet<>();
        for (Setting s : Settings.all()) {
            assertTrue(seen.add(s.name()), "twice: " + s.name());
        }
        Env env = new Env(Map.of());
        Settings.all().stream().filter(s -> s.dflt() != null && s.dflt().matches("\\d+ ?(ms|seconds?|minutes?|hours?)"))
                .forEach(env::duration);
        Stream.of(Settings.INGEST_MAX_BODY, Settings.INGEST_MIN_DATA_RATE, Settings.COMPACT_TARGET_SIZE).forEach(env::bytes);
        assertEquals(List.of(), env.errors());
        assertEquals(1L << 20, env.bytes(Settings.INGEST_MAX_BODY));
    }

    /** A QUESTLOG_* variable named in code or docs but missing from the catalog would be undocumented. */
    @Test
    void everyVariableNamedInTheRepositoryIsInTheCatalog() throws IOException {
        Set<String> known = Settings.all().stream().map(Setting::var).collect(Collectors.toSet());
        Pattern var = Pattern.compile("QUESTLOG_[A-Z0-9_]*[A-Z0-9]");
        Set<String> unknown = new TreeSet<>();
        try (Stream<Path> files = Files.walk(ROOT)) {
            for (Path f : files.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*/(src/main/.*\\.java|README\\.md|[^/]+\\.sh|questlog)$"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.questlog/")).toList()) {
                Matcher m = var.matcher(Files.readString(f));
                while (m.find()) {
                    if (!known.contains(m.group()) && !EXEMPT.contains(m.group())) unknown.add(m.group() + " (" + ROOT.relativize(f) + ")");
                }
            }
        }
        assertEquals(Set.of(), unknown, "add these to Settings.java (or stop naming them)");
    }

    /** Not settings: the prefix itself in prose. */
    private static final Set<String> EXEMPT = Set.of();
}
