package io.questlog.loadgen.simulate;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One simulated user event: what is posted to {@code /events} and, once accepted, one manifest line.
 *
 * @param eventTs epoch ms on the device (sent as {@code device_sent_timestamp}, becomes event_ts)
 * @param attributes event-specific fields, string-valued as in the envelope
 */
public record UserEvent(String eventId, String eventType, String userId, long eventTs, String userAgent,
                        String browserFamily, String osFamily, String deviceFamily,
                        Map<String, String> attributes) {

    public UserEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userAgent, "userAgent");
        Objects.requireNonNull(browserFamily, "browserFamily");
        Objects.requireNonNull(osFamily, "osFamily");
        Objects.requireNonNull(deviceFamily, "deviceFamily");
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
    }
}
