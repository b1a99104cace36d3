package io.questlog.ingest.event;

import java.util.Map;
import java.util.Objects;

/**
 * What the envelope takes from the HTTP request itself, captured once per request.
 *
 * @param headers        already redacted (see {@link HeaderRedaction})
 * @param userIdHeader   value of X-User-Id, "" when absent
 * @param idempotencyKey value of Idempotency-Key, "" when absent (game endpoints: the event_id)
 * @param sentAt         X-Sent-At, the client's clock when it sent the request (epoch ms, already validated), or null
 * @param requestId      the request's id from a trusted load balancer (QUESTLOG_TRUSTED_REQUEST_ID_HEADER), "" when
 *                       off or absent: the same for every retry of one request, so event_ids minted from it are too
 */
public record RequestInfo(String host, String userAgent, String accept, String userIdHeader,
                          Map<String, String> headers, long receivedTs, String idempotencyKey, Long sentAt, String requestId) {
    public RequestInfo {
        host = Objects.requireNonNullElse(host, "");
        userAgent = Objects.requireNonNullElse(userAgent, "");
        accept = Objects.requireNonNullElse(accept, "");
        userIdHeader = Objects.requireNonNullElse(userIdHeader, "");
        headers = Envelope.freeze(headers);
        idempotencyKey = Objects.requireNonNullElse(idempotencyKey, "");
        requestId = Objects.requireNonNullElse(requestId, "");
    }

    public RequestInfo(String host, String userAgent, String accept, String userIdHeader, Map<String, String> headers,
                       long receivedTs, String idempotencyKey, Long sentAt) {
        this(host, userAgent, accept, userIdHeader, headers, receivedTs, idempotencyKey, sentAt, "");
    }

    public RequestInfo(String host, String userAgent, String accept, String userIdHeader, Map<String, String> headers,
                       long receivedTs) {
        this(host, userAgent, accept, userIdHeader, headers, receivedTs, "", null);
    }
}
