package io.questlog.ingest.event;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of the module: strict reading (no trailing tokens, no duplicate keys). */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    /** Jackson's own words for a parse error, without its note about the redacted source. */
    public static String problem(com.fasterxml.jackson.core.JacksonException e) {
        String m = e.getOriginalMessage();
        return m == null ? "unreadable JSON" : m.replaceAll("\\[Source: [^;\\]]*; ", "[");
    }

    private Json() {
    }
}
