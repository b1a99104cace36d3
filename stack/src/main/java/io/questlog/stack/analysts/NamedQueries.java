package io.questlog.stack.analysts;

import io.questlog.stack.config.StackException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analysts' questions as SQL files beside this class (resources queries/NAME.sql), runnable by name;
 * the first comment line is the title.
 */
public final class NamedQueries {
    private static final Pattern INCLUDE = Pattern.compile("\\{\\{([a-z0-9_]+)}}");
    private final Path dir;

    public NamedQueries() {
        this.dir = queriesDir();
    }

    /** The queries folder, also inside the launcher's jar (read through a zip file system, so it can be listed). */
    private static Path queriesDir() {
        try {
            URI uri = NamedQueries.class.getResource("queries").toURI();
            if (uri.getScheme().equals("jar")) {
                try {
                    FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    // opened by an earlier instance
                }
            }
            return Path.of(uri);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        if (!name.matches("[a-z0-9_]+") || !Files.exists(dir.resolve(name + ".sql"))) {
            throw new StackException("no query named '" + name + "'; known: " + String.join(", ", titles().keySet()));
        }
        List<String> lines = Files.readAllLines(dir.resolve(name + ".sql")).stream().filter(l -> !l.trim().startsWith("--")).toList();
        String sql = String.join("\n", lines).trim().replaceFirst(";\\s*$", "");
        // {{other}} is another named query's answer, as a subquery: a question built on another is written once
        Matcher m = INCLUDE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement("(" + sql(m.group(1)) + ")"));
        return m.appendTail(out).toString();
    }

    /** A named query's SQL, for queries built on another. */
    static String sqlOf(String name) {
        try {
            return new NamedQueries().sql(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String title(String name) throws IOException {
        return titles().getOrDefault(name, name);
    }
}
