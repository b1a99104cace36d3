package io.questlog.ingest.event;

import java.util.Map;
import java.util.Objects;

/**
 * What the envelope takes from the HTTP request itself, captured once per request.
 *
 * @param headers already redacted (see {@link HeaderRedaction})
 * @param userIdHeader value of X-User-Id, "" when absent
 */
public record RequestInfo(String host, String userAgent, String accept, String userIdHeader,
                          Map<String, String> headers, long receivedTs) {
    public RequestInfo {
        host = Objects.requireNonNullElse(host, "");
        userAgent = Objects.requireNonNullElse(userAgent, "");
        accept = Objects.requireNonNullElse(accept, "");
        userIdHeader = Objects.requireNonNullElse(userIdHeader, "");
        headers = Envelope.freeze(headers);
    }
}
