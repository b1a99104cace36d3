package io.questlog.ingest.event;

import ua_parser.Client;
import ua_parser.Parser;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Browser, OS and device families of a User-Agent string (ua-parser's regexes), behind a bounded
 * LRU cache: real traffic repeats a few hundred UA strings, and a regex pass costs far more than a lookup.
 */
public final class UserAgentFamilies {
    public static final String OTHER = "Other";
    /** Longer UA strings are cut before parsing and caching; no real browser sends more. */
    static final int MAX_UA_CHARS = 1024;

    public record Families(String browser, String os, String device) {
        public static final Families UNKNOWN = new Families(OTHER, OTHER, OTHER);
    }

    private final Parser parser;
    private final Map<String, Families> cache;

    public UserAgentFamilies(int cacheSize) {
        if (cacheSize < 1) throw new IllegalArgumentException("cacheSize must be >= 1");
        this.parser = new Parser();
        this.cache = new LinkedHashMap<>(Math.min(cacheSize, 1024), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Families> eldest) {
                return size() > cacheSize;
            }
        };
    }

    public Families parse(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) return Families.UNKNOWN;
        String ua = userAgent.length() > MAX_UA_CHARS ? userAgent.substring(0, MAX_UA_CHARS) : userAgent;
        synchronized (cache) {
            Families hit = cache.get(ua);
            if (hit != null) return hit;
        }
        Families parsed = parseUncached(ua);
        synchronized (cache) {
            cache.put(ua, parsed);
        }
        return parsed;
    }

    public int cachedEntries() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private Families parseUncached(String ua) {
        Client c = parser.parse(ua);
        return new Families(
                family(c.userAgent == null ? null : c.userAgent.family),
                family(c.os == null ? null : c.os.family),
                family(c.device == null ? null : c.device.family));
    }

    private static String family(String f) {
        return f == null || f.isBlank() ? OTHER : f;
    }
}
