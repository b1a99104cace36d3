package io.questlog.ingest;

import io.questlog.contract.Env;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IngestConfigTest {
    @Test
    void defaults() {
        Env env = new Env(Map.of());
        IngestConfig c = IngestConfig.from(env);
        assertThat(env.errors()).isEmpty();
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(5000);
        assertThat(c.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(c.topic()).isEqualTo("events");
        assertThat(c.deliveryTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.compression()).isEqualTo("lz4");
        assertThat(c.limits().maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(c.limits().maxEvents()).isEqualTo(1000);
        assertThat(c.limits().maxEventBytes()).isEqualTo(32 << 10);
        assertThat(c.limits().maxClockSkew()).isEqualTo(Duration.ofHours(1));
        assertThat(c.limits().maxAttributes()).isEqualTo(100);
    }

    @Test
    void readsOverrides() {
        Env env = new Env(Map.of("QUESTLOG_INGEST_PORT", "5050", "QUESTLOG_DELIVERY_TIMEOUT", "3 seconds",
                "QUESTLOG_INGEST_MAX_BODY", "2MiB", "QUESTLOG_KAFKA_COMPRESSION", "ZSTD"));
        IngestConfig c = IngestConfig.from(env);
        assertThat(env.errors()).isEmpty();
        assertThat(c.port()).isEqualTo(5050);
        assertThat(c.deliveryTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(c.limits().maxBodyBytes()).isEqualTo(2 << 20);
        assertThat(c.compression()).isEqualTo("zstd");
    }

    @Test
    void collectsEveryErrorAtOnce() {
        Env env = new Env(Map.of("QUESTLOG_INGEST_PORT", "99999", "QUESTLOG_DELIVERY_TIMEOUT", "soon",
                "QUESTLOG_KAFKA_COMPRESSION", "brotli", "QUESTLOG_INGEST_MAX_EVENTS", "many", "QUESTLOG_TOPIC", "bad topic"));
        IngestConfig.from(env);
        assertThat(env.errors()).hasSize(5).anySatisfy(e -> assertThat(e).contains("QUESTLOG_INGEST_PORT"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_DELIVERY_TIMEOUT"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_KAFKA_COMPRESSION"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_INGEST_MAX_EVENTS"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_TOPIC"));
    }

    @Test
    void apiKeysCorsAndBounds() {
        Env env = new Env(Map.of("QUESTLOG_API_KEYS", " key-aaaaaaaaaaaaaaaa , key-bbbbbbbbbbbbbbbb,",
                "QUESTLOG_CORS_ORIGINS", "https://game.example,http://localhost:3000",
                "QUESTLOG_INGEST_MAX_IN_FLIGHT", "64", "QUESTLOG_INGEST_MAX_IN_FLIGHT_BYTES", "16MiB"));
        IngestConfig c = IngestConfig.from(env);
        assertThat(env.errors()).isEmpty();
        assertThat(c.apiKeys()).containsExactly("key-aaaaaaaaaaaaaaaa", "key-bbbbbbbbbbbbbbbb");
        assertThat(c.corsOrigins()).containsExactly("https://game.example", "http://localhost:3000");
        assertThat(c.maxInFlight()).isEqualTo(64);
        assertThat(c.maxInFlightBytes()).isEqualTo(16L << 20);
        assertThat(IngestConfig.from(new Env(Map.of())).apiKeys()).isEmpty();
    }

    @Test
    void refusesWeakKeysWithoutEchoingThemAndBadOrigins() {
        Env env = new Env(Map.of("QUESTLOG_API_KEYS", "short,key-aaaaaaaaaaaaaaaa", "QUESTLOG_CORS_ORIGINS", "game.example/path",
                "QUESTLOG_INGEST_MAX_IN_FLIGHT", "0", "QUESTLOG_INGEST_MAX_IN_FLIGHT_BYTES", "1KiB"));
        IngestConfig.from(env);
        assertThat(env.errors()).hasSize(4)
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_API_KEYS: key 1 of 2").doesNotContain("short"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_CORS_ORIGINS"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_INGEST_MAX_IN_FLIGHT must"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_INGEST_MAX_IN_FLIGHT_BYTES"));
    }

    @Test
    void secretNamesDefaultAndOverride() {
        assertThat(IngestConfig.from(new Env(Map.of())).secretNames()).contains("token", "password", "api_key", "cookie").hasSize(13);
        Env env = new Env(Map.of("QUESTLOG_INGEST_SECRET_NAMES", "token, X-Nonce,id"));
        IngestConfig c = IngestConfig.from(env);
        assertThat(c.secretNames()).containsExactly("token", "X-Nonce", "id");
        assertThat(env.errors()).singleElement().satisfies(e -> assertThat(e).contains("QUESTLOG_INGEST_SECRET_NAMES: id"));
    }

    @Test
    void slowBodySettings() {
        IngestConfig d = IngestConfig.from(new Env(Map.of()));
        assertThat(d.minDataRate()).isEqualTo(1024);
        assertThat(d.bodyTimeout()).isEqualTo(Duration.ofSeconds(30));
        Env env = new Env(Map.of("QUESTLOG_INGEST_MIN_DATA_RATE", "0", "QUESTLOG_INGEST_BODY_TIMEOUT", "10 ms",
                "QUESTLOG_INGEST_MAX_ATTRIBUTES", "0"));
        IngestConfig.from(env);
        assertThat(env.errors()).hasSize(3).anySatisfy(e -> assertThat(e).contains("QUESTLOG_INGEST_MIN_DATA_RATE"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_INGEST_BODY_TIMEOUT"))
                .anySatisfy(e -> assertThat(e).contains("QUESTLOG_INGEST_MAX_ATTRIBUTES"));
    }
}
