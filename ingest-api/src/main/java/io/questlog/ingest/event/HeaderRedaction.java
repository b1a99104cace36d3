package io.questlog.ingest.event;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which request headers go into the envelope's {@code headers} map: lower-cased names, credentials
 * removed (Authorization, Cookie, Set-Cookie, Proxy-Authorization, any *token* or *api-key* name), and
 * Host, User-Agent and Accept removed because the envelope has fields of their own for them.
 */
public final class HeaderRedaction {
    private static final Set<String> DROPPED = Set.of(
            "authorization", "proxy-authorization", "cookie", "set-cookie",
            "host", "user-agent", "accept");
    private static final List<String> DROPPED_PARTS = List.of("token", "api-key", "apikey", "api_key");

    private HeaderRedaction() {
    }

    public static boolean keep(String lowerCaseName) {
        if (DROPPED.contains(lowerCaseName)) return false;
        for (String part : DROPPED_PARTS) {
            if (lowerCaseName.contains(part)) return false;
        }
        return true;
    }

    /** Header name to its values; repeated headers are joined with ", " as HTTP allows. */
    public static Map<String, String> redact(Map<String, List<String>> headers) {
        Map<String, String> out = new TreeMap<>();
        headers.forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!keep(lower) || values == null || values.isEmpty()) return;
            out.merge(lower, String.join(", ", values), (a, b) -> a + ", " + b);
        });
        return out;
    }
}
