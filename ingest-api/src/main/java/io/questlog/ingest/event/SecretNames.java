package io.questlog.ingest.event;

import io.questlog.contract.Settings;
import java.util.List;
import java.util.Locale;

/**
 * Credential-like names (QUESTLOG_INGEST_SECRET_NAMES): a header, query parameter, form field or JSON
 * field whose normalized name contains one of the parts is removed before Kafka. Normalized means
 * lower-cased with '-' and '.' read as '_', so X-Client-Secret, access_token, Api-Key and private-key
 * all match. Matching is by substring on purpose: a secret that slips through is worse than a
 * harmless field (say "author") that is dropped.
 */
public final class SecretNames {
    public static final List<String> DEFAULT = List.of(Settings.INGEST_SECRET_NAMES.dflt().split(","));

    private final String[] parts;

    public SecretNames(List<String> parts) {
        this.parts = parts.stream().map(SecretNames::normalize).filter(p -> !p.isEmpty()).distinct().toArray(String[]::new);
    }

    public static SecretNames defaults() {
        return new SecretNames(DEFAULT);
    }

    public static String normalize(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    public boolean matches(String name) {
        String n = normalize(name);
        for (String p : parts) {
            if (n.contains(p)) return true;
        }
        return false;
    }

    public List<String> parts() {
        return List.of(parts);
    }

    /**
     * The text with secret-named parameters removed from its URL query, if it has one (a Referer, or an
     * attribute holding a page URL, would otherwise carry {@code ?access_token=...} into Kafka).
     * Returns {@code text} itself when nothing was removed; {@code removed[0]} counts what was.
     */
    public String scrubQuery(String text, int[] removed) {
        int q = text.indexOf('?');
        if (q < 0 || text.indexOf('=', q) < 0) return text;
        int end = text.indexOf('#', q);
        if (end < 0) end = text.length();
        StringBuilder kept = new StringBuilder(text.length());
        int dropped = 0;
        for (String pair : text.substring(q + 1, end).split("&", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (!name.isEmpty() && matches(decode(name))) {
                dropped++;
                continue;
            }
            if (kept.length() > 0) kept.append('&');
            kept.append(pair);
        }
        if (dropped == 0) return text;
        removed[0] += dropped;
        return text.substring(0, q) + (kept.length() > 0 ? "?" + kept : "") + text.substring(end);
    }

    private static String decode(String name) {
        try {
            return java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return name; // a broken %-escape: match the raw text
        }
    }
}
