package io.questlog.ingest.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SecretNamesTest {
    final SecretNames secrets = SecretNames.defaults();

    @ParameterizedTest
    @ValueSource(strings = {"X-Client-Secret", "X-Forwarded-Authorization", "access_token", "Api-Key", "private-key",
            "api.key", "PASSWORD", "user_pwd", "session_id", "X-Amz-Signature", "aws_credentials", "set-cookie", "apikey"})
    void credentialLikeNamesMatch(String name) {
        assertThat(secrets.matches(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sword", "user_id", "event_id", "device_sent_timestamp", "guild_name", "x-forwarded-for", "key", "level"})
    void ordinaryNamesDoNot(String name) {
        assertThat(secrets.matches(name)).isFalse();
    }

    @Test
    void configuredPartsAreNormalizedToo() {
        SecretNames custom = new SecretNames(List.of("Client-Nonce", " otp "));
        assertThat(custom.matches("x_client.nonce")).isTrue();
        assertThat(custom.matches("OTP")).isTrue();
        assertThat(custom.matches("password")).isFalse();
    }

    @Test
    void scrubsSecretParametersFromAUrlQuery() {
        int[] removed = {0};
        assertThat(secrets.scrubQuery("https://x.example/a?token=1&b=2&pass%77ord=3", removed)).isEqualTo("https://x.example/a?b=2");
        assertThat(removed[0]).isEqualTo(2);
        String plain = "no query here";
        assertThat(secrets.scrubQuery(plain, removed)).isSameAs(plain);
        assertThat(secrets.scrubQuery("/p?session=1", removed)).isEqualTo("/p");
        assertThat(secrets.scrubQuery("/p?%G1=1&token=2", removed)).isEqualTo("/p?%G1=1");
    }
}
