package io.questlog.loadgen.manifest;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.questlog.loadgen.simulate.UserEvent;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The record of accepted events, NDJSON, one object per line:
 * <pre>{"event_id":"…","event_type":"purchase_sword","user_id":"anon-…","event_ts":1718000000000,
 *  "user_agent":"…","browser_family":"Mobile Safari","os_family":"iOS","device_family":"iPhone",
 *  "attributes":{"price":"20","sword_type":"longsword"}}</pre>
 * Written only for events ingest-api answered 200 for (and listed in its event_ids), each once.
 */
public final class Manifest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };

    private Manifest() {
    }

    public static String toLine(UserEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("event_id", e.eventId());
        o.put("event_type", e.eventType());
        o.put("user_id", e.userId());
        o.put("event_ts", e.eventTs());
        o.put("user_agent", e.userAgent());
        o.put("browser_family", e.browserFamily());
        o.put("os_family", e.osFamily());
        o.put("device_family", e.deviceFamily());
        o.set("attributes", JSON.valueToTree(e.attributes()));
        return o.toString();
    }

    public static UserEvent parseLine(String line) {
        try {
            JsonNode o = JSON.readTree(line);
            Map<String, String> attrs = o.has("attributes") ? JSON.convertValue(o.get("attributes"), STRING_MAP) : Map.of();
            return new UserEvent(o.path("event_id").asText(), o.path("event_type").asText(),
                    o.path("user_id").asText(), o.path("event_ts").asLong(), o.path("user_agent").asText(""),
                    o.path("browser_family").asText("Other"), o.path("os_family").asText("Other"),
                    o.path("device_family").asText("Other"), attrs);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a manifest line: " + line, e);
        }
    }

    /** Every entry of a manifest file, in file order (blank lines skipped). */
    public static List<UserEvent> read(Path file) throws IOException {
        List<UserEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) out.add(parseLine(line));
        }
        return out;
    }

    /** Appends accepted events; safe to call from several sender threads. */
    public static final class Writer implements Closeable {
        private final BufferedWriter out;

        public Writer(Path file) throws IOException {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        }

        public synchronized void write(List<UserEvent> events) {
            try {
                for (UserEvent e : events) {
                    out.write(toLine(e));
                    out.write('\n');
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write manifest", e);
            }
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }
}
