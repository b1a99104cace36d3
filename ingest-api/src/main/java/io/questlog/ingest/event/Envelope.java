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

import com.fasterxml.jackson.annotation.JsonProperty;
import io.questlog.contract.EnvelopeSchema;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The event envelope produced to Kafka; its fields, names and order are the contract's {@link EnvelopeSchema}.
 * Field names on the wire are snake_case exactly as in the design; maps are sorted copies.
 * {@link EnvelopeWriter} writes it for Kafka (the annotations are the mapper's view, which the writer matches).
 * {@code event_ts} is the device's time corrected for its clock skew when the client sent {@code sent_at};
 * {@code device_ts} is the device_sent_timestamp exactly as sent, null (written as JSON null) when there was none.
 */
@JsonPropertyOrder({EVENT_ID, EVENT_TYPE, USER_ID, EVENT_TS, RECEIVED_TS, DEVICE_TS, HOST, USER_AGENT,
        ACCEPT, HEADERS, BROWSER_FAMILY, OS_FAMILY, DEVICE_FAMILY, ATTRIBUTES, SCHEMA_VERSION_FIELD})
public record Envelope(
        @JsonProperty(EVENT_ID) String eventId,
        @JsonProperty(EVENT_TYPE) String eventType,
        @JsonProperty(USER_ID) String userId,
        @JsonProperty(EVENT_TS) long eventTs,
        @JsonProperty(RECEIVED_TS) long receivedTs,
        @JsonProperty(DEVICE_TS) Long deviceTs,
        @JsonProperty(HOST) String host,
        @JsonProperty(USER_AGENT) String userAgent,
        @JsonProperty(ACCEPT) String accept,
        @JsonProperty(HEADERS) Map<String, String> headers,
        @JsonProperty(BROWSER_FAMILY) String browserFamily,
        @JsonProperty(OS_FAMILY) String osFamily,
        @JsonProperty(DEVICE_FAMILY) String deviceFamily,
        @JsonProperty(ATTRIBUTES) Map<String, String> attributes,
        @JsonProperty(SCHEMA_VERSION_FIELD) int schemaVersion) {

    public static final int SCHEMA_VERSION = EnvelopeSchema.SCHEMA_VERSION;

    public Envelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(userId, "userId");
        host = Objects.requireNonNullElse(host, "");
        userAgent = Objects.requireNonNullElse(userAgent, "");
        accept = Objects.requireNonNullElse(accept, "");
        headers = freeze(headers);
        browserFamily = Objects.requireNonNullElse(browserFamily, UserAgentFamilies.OTHER);
        osFamily = Objects.requireNonNullElse(osFamily, UserAgentFamilies.OTHER);
        deviceFamily = Objects.requireNonNullElse(deviceFamily, UserAgentFamilies.OTHER);
        attributes = freeze(attributes);
    }

    private static final Class<?> FROZEN = Collections.unmodifiableSortedMap(new TreeMap<String, String>()).getClass();

    /**
     * A sorted, unmodifiable copy; a map this method made is returned as it is, so one request's
     * headers are copied once, not once per event of its batch.
     */
    public static Map<String, String> freeze(Map<String, String> m) {
        return m.getClass() == FROZEN ? m : Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }
}
