package io.questlog.ingest.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Writes envelopes as the JSON values produced to Kafka: the same bytes as the mapper writes for
 * {@link Envelope} (EnvelopeWriterTest compares them), field by field instead of by reflection.
 * The request's headers, one map shared by every event of a batch, are rendered once per writer
 * and map, not once per event: they were a third of a 500-event batch's CPU (JFR, bench/ingest).
 * Not thread-safe: one writer per batch being sent.
 */
public final class EnvelopeWriter {
    private final ByteArrayBuilder out = new ByteArrayBuilder(1024);
    private Map<String, String> headers;
    private String headersJson;

    public byte[] write(Envelope e) {
        out.reset();
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event_id", e.eventId());
            g.writeStringField("event_type", e.eventType());
            g.writeStringField("user_id", e.userId());
            g.writeNumberField("event_ts", e.eventTs());
            g.writeNumberField("received_ts", e.receivedTs());
            g.writeFieldName("device_ts");
            if (e.deviceTs() == null) g.writeNull();
            else g.writeNumber(e.deviceTs());
            g.writeStringField("host", e.host());
            g.writeStringField("user_agent", e.userAgent());
            g.writeStringField("accept", e.accept());
            g.writeFieldName("headers");
            g.writeRawValue(headersJson(e.headers()));
            g.writeStringField("browser_family", e.browserFamily());
            g.writeStringField("os_family", e.osFamily());
            g.writeStringField("device_family", e.deviceFamily());
            g.writeFieldName("attributes");
            writeMap(g, e.attributes());
            g.writeNumberField("schema_version", e.schemaVersion());
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write envelope " + e.eventId(), ex); // in memory: not reachable
        }
        return out.toByteArray();
    }

    /** Envelope maps are frozen (unmodifiable) copies, so the same map object means the same text. */
    private String headersJson(Map<String, String> m) throws IOException {
        if (m != headers) {
            // rendered by the same UTF-8 generator as the rest, so escapes (of surrogate pairs, too) stay the same
            ByteArrayBuilder text = new ByteArrayBuilder(256);
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(text)) {
                writeMap(g, m);
            }
            headers = m;
            headersJson = new String(text.toByteArray(), StandardCharsets.UTF_8);
        }
        return headersJson;
    }

    private static void writeMap(JsonGenerator g, Map<String, String> m) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, String> kv : m.entrySet()) {
            g.writeFieldName(kv.getKey());
            if (kv.getValue() == null) g.writeNull();
            else g.writeString(kv.getValue());
        }
        g.writeEndObject();
    }
}
