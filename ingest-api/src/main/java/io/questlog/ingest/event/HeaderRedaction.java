package io.questlog.ingest.event;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntConsumer;

/**
 * Which request headers go into the envelope's {@code headers} map: lower-cased names, credentials
 * removed (any name matching {@link SecretNames}; Authorization, Proxy-Authorization, Cookie, Set-Cookie
 * and X-API-Key always, since they carry this API's own keys whatever the configured list says), secret-named
 * query parameters removed from URL-valued headers such as Referer, and Host, User-Agent and Accept removed
 * because the envelope has fields of their own for them.
 */
public final class HeaderRedaction {
    private static final Set<String> OWN_FIELDS = Set.of("host", "user-agent", "accept");
    private static final Set<String> ALWAYS_SECRET = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key");

    private final SecretNames secrets;

    public HeaderRedaction(SecretNames secrets) {
        this.secrets = secrets;
    }

    public Map<String, String> redact(Map<String, List<String>> headers) {
        return redact(headers, n -> { });
    }

    /** Header name to its values; repeated headers are joined with ", " as HTTP allows. {@code removed} gets the count of secrets dropped. */
    public Map<String, String> redact(Map<String, List<String>> headers, IntConsumer removed) {
        Map<String, String> out = new TreeMap<>();
        int[] secretCount = {0};
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (OWN_FIELDS.contains(lower) || values == null || values.isEmpty()) return;
            if (ALWAYS_SECRET.contains(lower) || secrets.matches(lower)) {
                secretCount[0]++;
                return;
            }
            String joined = secrets.scrubQuery(String.join(", ", values), secretCount);
            out.merge(lower, joined, (a, b) -> a + ", " + b);
        });
        if (secretCount[0] > 0) removed.accept(secretCount[0]);
        return out;
    }
}
