package io.questlog.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The analysts' questions as SQL files in loadgen/queries/, runnable by name; the first comment line is the title. */
public final class NamedQueries {
    private final Path dir;

    public NamedQueries(Path root) {
        this.dir = root.resolve("loadgen").resolve("queries");
    }

    public Map<String, String> titles() throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).toList()) {
                String first = Files.readAllLines(f).stream().findFirst().orElse("");
                out.put(f.getFileName().toString().replaceFirst("\\.sql$", ""), first.replaceFirst("^--\\s*", ""));
            }
        }
        return out;
    }

    /** The SQL of a named query, without comments or a trailing semicolon (Trino's JDBC refuses those). */
    public String sql(String name) throws IOException {
        Path f = dir.resolve(name + ".sql");
        if (!name.matches("[a-z0-9_]+") || !Files.exists(f)) {
            throw new StackException("no query named '" + name + "'; known: " + String.join(", ", titles().keySet()));
        }
        List<String> lines = Files.readAllLines(f).stream().filter(l -> !l.trim().startsWith("--")).toList();
        return String.join("\n", lines).trim().replaceFirst(";\\s*$", "");
    }

    public String title(String name) throws IOException {
        return titles().getOrDefault(name, name);
    }
}
