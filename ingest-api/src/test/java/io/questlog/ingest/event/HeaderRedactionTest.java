package io.questlog.ingest.event;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HeaderRedactionTest {
    final HeaderRedaction redaction = new HeaderRedaction(SecretNames.defaults());

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
        in.put("X-Client-Secret", List.of("s"));
        in.put("X-Forwarded-Authorization", List.of("Bearer f"));
        in.put("X-Session-Id", List.of("sess"));
        in.put("X-Amz-Signature", List.of("sig"));
        in.put("Private.Key", List.of("pk"));
        in.put("Host", List.of("h"));
        in.put("User-Agent", List.of("ua"));
        in.put("Accept", List.of("*/*"));
        in.put("X-Forwarded-For", List.of("10.0.0.1", "10.0.0.2"));
        in.put("Content-Type", List.of("application/json"));
        in.put("Accept-Language", List.of("en"));

        assertThat(redaction.redact(in)).containsExactly(
                Map.entry("accept-language", "en"),
                Map.entry("content-type", "application/json"),
                Map.entry("x-forwarded-for", "10.0.0.1, 10.0.0.2"));
    }

    @Test
    void theConfiguredListReplacesTheDefaultsButHttpCredentialHeadersAlwaysGo() {
        HeaderRedaction custom = new HeaderRedaction(new SecretNames(List.of("nonce")));
        Map<String, List<String>> in = new LinkedHashMap<>();
        in.put("X-Nonce", List.of("n"));
        in.put("X-Session-Id", List.of("kept: not in this list"));
        in.put("Authorization", List.of("Bearer k"));
        in.put("X-API-Key", List.of("k"));
        in.put("Cookie", List.of("c=1"));
        int[] counted = {0};
        assertThat(custom.redact(in, n -> counted[0] += n)).containsOnlyKeys("x-session-id");
        assertThat(counted[0]).isEqualTo(4);
    }

    @Test
    void secretParametersLeaveUrlValuedHeaders() {
        Map<String, String> out = redaction.redact(Map.of("Referer",
                List.of("https://game.example/play?level=3&access_token=tok&X-Api-Key=k#top")));
        assertThat(out).containsExactly(Map.entry("referer", "https://game.example/play?level=3#top"));
    }

    @Test
    void namesAreLowerCased() {
        assertThat(redaction.redact(Map.of("X-Game-Version", List.of("1.2")))).containsOnlyKeys("x-game-version");
    }
}
