package io.questlog.ingest.event;

import static io.questlog.contract.EnvelopeSchema.ACCEPT;
import static io.questlog.contract.EnvelopeSchema.ATTRIBUTES;
import static io.questlog.contract.EnvelopeSchema.BROWSER_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_ID;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.EnvelopeSchema.HEADERS;
import static io.questlog.contract.EnvelopeSchema.HOST;
import static io.questlog.contract.EnvelopeSchema.OS_FAMILY;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.EnvelopeSchema.SCHEMA_VERSION_FIELD;
import static io.questlog.contract.EnvelopeSchema.USER_AGENT;
import static io.questlog.contract.EnvelopeSchema.USER_ID;

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
            g.writeStringField(EVENT_ID, e.eventId());
            g.writeStringField(EVENT_TYPE, e.eventType());
            g.writeStringField(USER_ID, e.userId());
            g.writeNumberField(EVENT_TS, e.eventTs());
            g.writeNumberField(RECEIVED_TS, e.receivedTs());
            g.writeFieldName(DEVICE_TS);
            if (e.deviceTs() == null) g.writeNull();
            else g.writeNumber(e.deviceTs());
            g.writeStringField(HOST, e.host());
            g.writeStringField(USER_AGENT, e.userAgent());
            g.writeStringField(ACCEPT, e.accept());
            g.writeFieldName(HEADERS);
            g.writeRawValue(headersJson(e.headers()));
            g.writeStringField(BROWSER_FAMILY, e.browserFamily());
            g.writeStringField(OS_FAMILY, e.osFamily());
            g.writeStringField(DEVICE_FAMILY, e.deviceFamily());
            g.writeFieldName(ATTRIBUTES);
            writeMap(g, e.attributes());
            g.writeNumberField(SCHEMA_VERSION_FIELD, e.schemaVersion());
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
