package io.questlog.ingest;

import io.questlog.contract.Env;
import io.questlog.ingest.event.Limits;
import io.questlog.ingest.event.SecretNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every setting of ingest-api, read from {@code QUESTLOG_*} environment variables
 * (see {@link #from(Env)} for names and defaults). Problems are collected in the {@link Env}.
 */
public record IngestConfig(
        String host,
        int port,
        String kafkaBootstrap,
        String topic,
        Duration deliveryTimeout,
        Duration maxBlock,
        Duration linger,
        String compression,
        Limits limits,
        Duration retryAfter,
        int uaCacheSize,
        List<String> apiKeys,
        List<String> corsOrigins,
        int maxInFlight,
        long maxInFlightBytes,
        int maxHeaders,
        int maxConnections,
        Duration idleTimeout,
        List<String> secretNames,
        long minDataRate,
        Duration bodyTimeout) {

    private static final Set<String> COMPRESSIONS = Set.of("none", "gzip", "snappy", "lz4", "zstd");
    /** An API key: 16-256 visible ASCII characters, no spaces or commas. */
    private static final Pattern API_KEY = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]{16,256}");
    /** A browser origin: scheme://host[:port], no path. */
    private static final Pattern SECRET_PART = Pattern.compile("[a-z0-9_]{3,64}");
    private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");

    public IngestConfig {
        apiKeys = List.copyOf(apiKeys);
        corsOrigins = List.copyOf(corsOrigins);
        secretNames = List.copyOf(secretNames);
    }

    /**
     * Reads every setting; bad values are recorded as errors in {@code env} (check {@code env.errors()}).
     * <pre>
     * QUESTLOG_INGEST_HOST            127.0.0.1
     * QUESTLOG_INGEST_PORT            5000
     * QUESTLOG_KAFKA_BOOTSTRAP        127.0.0.1:9092
     * QUESTLOG_TOPIC                  events
     * QUESTLOG_DELIVERY_TIMEOUT       10 seconds   (Kafka delivery.timeout.ms: how long a request waits for acks)
     * QUESTLOG_KAFKA_MAX_BLOCK        5 seconds    (max.block.ms: metadata wait / full buffer)
     * QUESTLOG_KAFKA_LINGER           1 ms         (linger.ms: under load batches form anyway while requests are in flight)
     * QUESTLOG_KAFKA_COMPRESSION      lz4          (none, gzip, snappy, lz4, zstd)
     * QUESTLOG_INGEST_MAX_BODY        1MiB         (larger bodies: 413)
     * QUESTLOG_INGEST_MAX_EVENTS      1000         (events per request)
     * QUESTLOG_INGEST_MAX_EVENT_SIZE  32KiB        (bytes per event)
     * QUESTLOG_INGEST_MAX_CLOCK_SKEW  1 hour       (how far event_ts, device_sent_timestamp corrected by sent_at
     *                                              when sent, may lie in the future)
     * QUESTLOG_INGEST_MAX_ATTRIBUTES  100          (attributes per event, query and form parameters included; more: 400)
     * QUESTLOG_INGEST_RETRY_AFTER     5 seconds    (Retry-After on 503)
     * QUESTLOG_UA_CACHE_SIZE          10000        (parsed User-Agent strings kept)
     * QUESTLOG_API_KEYS               (none)       (comma-separated; when set, POST /events needs one: 401 otherwise)
     * QUESTLOG_CORS_ORIGINS           (none)       (comma-separated origins such as https://game.example, or *)
     * QUESTLOG_INGEST_MAX_IN_FLIGHT   1024         (requests being handled at once; more: 503 + Retry-After)
     * QUESTLOG_INGEST_MAX_IN_FLIGHT_BYTES 64MiB    (request bodies held at once; more: 503 + Retry-After)
     * QUESTLOG_INGEST_MAX_HEADERS     64           (header fields per request; more: 431)
     * QUESTLOG_INGEST_MAX_CONNECTIONS 10000        (open connections; at the limit new ones wait to be accepted)
     * QUESTLOG_INGEST_IDLE_TIMEOUT    30 seconds   (a connection with no request in flight this long is closed)
     * QUESTLOG_INGEST_MIN_DATA_RATE  1KiB         (bytes per second a request body must arrive at, after a second's grace; slower: 408)
     * QUESTLOG_INGEST_BODY_TIMEOUT    30 seconds   (a request body must have arrived whole this long after the handler
     *                                              started reading it; later: 408)
     * QUESTLOG_INGEST_SECRET_NAMES    token,secret,password,passwd,pwd,api_key,apikey,auth,session,signature,
     *                                 credential,private_key,cookie
     *                                 (comma-separated name parts: headers, query/form parameters and JSON fields whose
     *                                 name, lower-cased with - and . read as _, contains one are never stored)
     * </pre>
     */
    public static IngestConfig from(Env env) {
        String host = env.string("ingest_host", "127.0.0.1");
        int port = env.integer("ingest_port", 5000);
        String bootstrap = env.string("kafka_bootstrap", "127.0.0.1:9092");
        String topic = env.string("topic", "events");
        Duration delivery = env.duration("delivery_timeout", "10 seconds");
        Duration maxBlock = env.duration("kafka_max_block", "5 seconds");
        Duration linger = env.duration("kafka_linger", "1 ms");
        String compression = env.string("kafka_compression", "lz4").toLowerCase();
        long maxBody = env.bytes("ingest_max_body", 1L << 20);
        int maxEvents = env.integer("ingest_max_events", 1000);
        long maxEventSize = env.bytes("ingest_max_event_size", 32 << 10);
        Duration skew = env.duration("ingest_max_clock_skew", "1 hour");
        int maxAttributes = env.integer("ingest_max_attributes", Limits.DEFAULT.maxAttributes());
        Duration retryAfter = env.duration("ingest_retry_after", "5 seconds");
        int uaCache = env.integer("ua_cache_size", 10_000);
        List<String> apiKeys = list(env.string("api_keys", ""));
        List<String> origins = list(env.string("cors_origins", ""));
        int maxInFlight = env.integer("ingest_max_in_flight", 1024);
        long maxInFlightBytes = env.bytes("ingest_max_in_flight_bytes", 64L << 20);
        int maxHeaders = env.integer("ingest_max_headers", 64);
        int maxConnections = env.integer("ingest_max_connections", 10_000);
        Duration idleTimeout = env.duration("ingest_idle_timeout", "30 seconds");
        long minDataRate = env.bytes("ingest_min_data_rate", 1L << 10);
        Duration bodyTimeout = env.duration("ingest_body_timeout", "30 seconds");
        List<String> secretNames = list(env.string("ingest_secret_names", String.join(",", SecretNames.DEFAULT)));

        if (port < 0 || port > 65535) env.error(Env.varName("ingest_port") + "=" + port + " is not a port (0-65535)");
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) env.error(Env.varName("topic") + "=" + topic + " is not a valid Kafka topic name");
        if (!COMPRESSIONS.contains(compression)) {
            env.error(Env.varName("kafka_compression") + "=" + compression + " must be one of " + COMPRESSIONS);
        }
        if (delivery.toMillis() < 1000) env.error(Env.varName("delivery_timeout") + " must be at least 1 second");
        if (linger.toMillis() >= delivery.toMillis()) {
            env.error(Env.varName("kafka_linger") + " must be shorter than " + Env.varName("delivery_timeout"));
        }
        if (maxBlock.toMillis() < 1) env.error(Env.varName("kafka_max_block") + " must be positive");
        if (maxBody < 1) env.error(Env.varName("ingest_max_body") + " must be positive");
        if (maxEvents < 1) env.error(Env.varName("ingest_max_events") + " must be at least 1");
        if (maxEventSize < 1 || maxEventSize > Integer.MAX_VALUE) {
            env.error(Env.varName("ingest_max_event_size") + " must be between 1 byte and 2 GiB");
        }
        if (maxAttributes < 1) env.error(Env.varName("ingest_max_attributes") + " must be at least 1");
        if (retryAfter.toSeconds() < 1) env.error(Env.varName("ingest_retry_after") + " must be at least 1 second");
        if (uaCache < 1) env.error(Env.varName("ua_cache_size") + " must be at least 1");
        for (int i = 0; i < apiKeys.size(); i++) {
            // never echo a key: name its position only
            if (!API_KEY.matcher(apiKeys.get(i)).matches()) {
                env.error(Env.varName("api_keys") + ": key " + (i + 1) + " of " + apiKeys.size()
                        + " must be 16-256 visible ASCII characters without spaces or commas");
            }
        }
        for (String o : origins) {
            if (!o.equals("*") && !ORIGIN.matcher(o).matches()) {
                env.error(Env.varName("cors_origins") + ": " + o + " is not an origin (https://host[:port], or *)");
            }
        }
        if (maxInFlight < 1) env.error(Env.varName("ingest_max_in_flight") + " must be at least 1");
        if (maxInFlightBytes < maxBody) {
            env.error(Env.varName("ingest_max_in_flight_bytes") + " must be at least " + Env.varName("ingest_max_body"));
        }
        if (maxHeaders < 8) env.error(Env.varName("ingest_max_headers") + " must be at least 8");
        if (maxConnections < 1) env.error(Env.varName("ingest_max_connections") + " must be at least 1");
        if (idleTimeout.toMillis() < 100) env.error(Env.varName("ingest_idle_timeout") + " must be at least 100 ms");
        if (minDataRate < 1) env.error(Env.varName("ingest_min_data_rate") + " must be at least 1 byte (per second)");
        if (bodyTimeout.toMillis() < 100) env.error(Env.varName("ingest_body_timeout") + " must be at least 100 ms");
        for (String part : secretNames) {
            // a part of one or two characters ("id", "ip") would remove half of every event
            if (!SECRET_PART.matcher(SecretNames.normalize(part)).matches()) {
                env.error(Env.varName("ingest_secret_names") + ": " + part
                        + " is not a name part (3-64 letters, digits, _ - .)");
            }
        }

        return new IngestConfig(host, port, bootstrap, topic, delivery, maxBlock, linger, compression,
                new Limits(maxBody, maxEvents, (int) Math.min(Math.max(maxEventSize, 1), Integer.MAX_VALUE), skew,
                        Math.max(maxAttributes, 1)),
                retryAfter, Math.max(uaCache, 1), apiKeys, origins, maxInFlight, maxInFlightBytes, maxHeaders,
                maxConnections, idleTimeout, secretNames, minDataRate, bodyTimeout);
    }

    private static List<String> list(String commaSeparated) {
        List<String> out = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) out.add(part.trim());
        }
        return out;
    }

    /** How long the HTTP layer waits for Kafka before answering 503 (a safety net over the producer's own timeouts). */
    public Duration produceWait() {
        return deliveryTimeout.plus(maxBlock).plusSeconds(2);
    }
}
