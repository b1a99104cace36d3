package io.questlog.ingest.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson mapper of the module: strict reading (no trailing tokens, no duplicate keys, no NaN),
 * and at most {@link #MAX_DEPTH} levels of nesting (a deeper document is refused, not recursed into).
 */
public final class Json {
    public static final int MAX_DEPTH = 32;
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Jackson's own words for a parse error, without its note about the redacted source. */
    public static String problem(com.fasterxml.jackson.core.JacksonException e) {
        String m = e.getOriginalMessage();
        return m == null ? "unreadable JSON" : m.replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    /** A stable reason code for a parse error: invalid_utf8, too_deep, or malformed_json. */
    public static String reason(com.fasterxml.jackson.core.JacksonException e) {
        String m = e.getOriginalMessage();
        if (m != null && m.startsWith("Invalid UTF-8")) return "invalid_utf8";
        if (e instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) return "too_deep";
        return "malformed_json";
    }

    private Json() {
    }
}
