package io.questlog.ingest.event;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderRedactionTest {
    @Test
    void removesCredentialsAndTheHeadersThatHaveTheirOwnFields() {
        Map<String, List<String>> in = new LinkedHashMap<>();
        in.put("Authorization", List.of("Bearer secret"));
        in.put("Proxy-Authorization", List.of("Basic x"));
        in.put("Cookie", List.of("sid=1"));
        in.put("Set-Cookie", List.of("sid=2"));
        in.put("X-Auth-Token", List.of("t"));
        in.put("X-CSRF-TOKEN", List.of("t"));
        in.put("X-Api-Key", List.of("k"));
        in.put("ApiKey", List.of("k"));
        in.put("Host", List.of("h"));
        in.put("User-Agent", List.of("ua"));
        in.put("Accept", List.of("*/*"));
        in.put("X-Forwarded-For", List.of("10.0.0.1", "10.0.0.2"));
        in.put("Content-Type", List.of("application/json"));
        in.put("Accept-Language", List.of("en"));

        assertThat(HeaderRedaction.redact(in)).containsExactly(
                Map.entry("accept-language", "en"),
                Map.entry("content-type", "application/json"),
                Map.entry("x-forwarded-for", "10.0.0.1, 10.0.0.2"));
    }

    @Test
    void namesAreLowerCased() {
        assertThat(HeaderRedaction.redact(Map.of("X-Game-Version", List.of("1.2")))).containsOnlyKeys("x-game-version");
    }
}
