package io.questlog.ingest.event;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The event envelope produced to Kafka (ingest-api/README.md describes its fields).
 * Field names on the wire are snake_case exactly as in the design; maps are sorted copies.
 * {@link EnvelopeWriter} writes it for Kafka (the annotations are the mapper's view, which the writer matches).
 * {@code event_ts} is the device's time corrected for its clock skew when the client sent {@code sent_at};
 * {@code device_ts} is the device_sent_timestamp exactly as sent, null (written as JSON null) when there was none.
 */
@JsonPropertyOrder({"event_id", "event_type", "user_id", "event_ts", "received_ts", "device_ts", "host", "user_agent",
        "accept", "headers", "browser_family", "os_family", "device_family", "attributes", "schema_version"})
public record Envelope(
        @JsonProperty("event_id") String eventId,
        @JsonProperty("event_type") String eventType,
        @JsonProperty("user_id") String userId,
        @JsonProperty("event_ts") long eventTs,
        @JsonProperty("received_ts") long receivedTs,
        @JsonProperty("device_ts") Long deviceTs,
        @JsonProperty("host") String host,
        @JsonProperty("user_agent") String userAgent,
        @JsonProperty("accept") String accept,
        @JsonProperty("headers") Map<String, String> headers,
        @JsonProperty("browser_family") String browserFamily,
        @JsonProperty("os_family") String osFamily,
        @JsonProperty("device_family") String deviceFamily,
        @JsonProperty("attributes") Map<String, String> attributes,
        @JsonProperty("schema_version") int schemaVersion) {

    public static final int SCHEMA_VERSION = 1;

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
