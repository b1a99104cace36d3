package io.questlog.stack.analysts;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.questlog.stack.config.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * `./questlog sessions --group-key KEY`: sessions counted per family, written as the session-counting
 * challenge's JSON ({"iPhone":42,"Generic Smartphone":12,...}), largest count first.
 */
public final class SessionCounts {
    public static final List<String> KEYS = List.of("browser_family", "os_family", "device_family");

    private SessionCounts() {}

    public static Map<String, Long> count(Trino trino, String key) {
        if (!KEYS.contains(key)) {
            throw new StackException("unknown group key '" + key + "': use one of " + String.join(", ", KEYS));
        }
        List<List<String>> rows = trino.query("SELECT coalesce(" + key + ", 'Other') AS k, count(*) AS n FROM sessions "
                + "GROUP BY 1 ORDER BY n DESC, k");
        Map<String, Long> out = new LinkedHashMap<>();
        rows.subList(1, rows.size()).forEach(r -> out.put(r.get(0), Long.parseLong(r.get(1))));
        return out;
    }

    public static Path write(Path outputDir, String key, Map<String, Long> counts) throws IOException {
        Path f = outputDir.resolve("sessions_by_" + key + ".json");
        Files.createDirectories(outputDir);
        Files.writeString(f, new ObjectMapper().writeValueAsString(counts) + "\n");
        return f;
    }
}
