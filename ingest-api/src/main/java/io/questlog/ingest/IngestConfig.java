package io.questlog.ingest;

import static io.questlog.contract.Settings.API_KEYS;
import static io.questlog.contract.Settings.CORS_ORIGINS;
import static io.questlog.contract.Settings.DELIVERY_TIMEOUT;
import static io.questlog.contract.Settings.INGEST_BODY_TIMEOUT;
import static io.questlog.contract.Settings.INGEST_HOST;
import static io.questlog.contract.Settings.INGEST_IDLE_TIMEOUT;
import static io.questlog.contract.Settings.INGEST_MAX_ATTRIBUTES;
import static io.questlog.contract.Settings.INGEST_MAX_BODY;
import static io.questlog.contract.Settings.INGEST_MAX_CLOCK_SKEW;
import static io.questlog.contract.Settings.INGEST_MAX_CONNECTIONS;
import static io.questlog.contract.Settings.INGEST_MAX_EVENTS;
import static io.questlog.contract.Settings.INGEST_MAX_EVENT_SIZE;
import static io.questlog.contract.Settings.INGEST_MAX_HEADERS;
import static io.questlog.contract.Settings.INGEST_MAX_IN_FLIGHT;
import static io.questlog.contract.Settings.INGEST_MAX_IN_FLIGHT_BYTES;
import static io.questlog.contract.Settings.INGEST_MIN_DATA_RATE;
import static io.questlog.contract.Settings.INGEST_PORT;
import static io.questlog.contract.Settings.INGEST_RETRY_AFTER;
import static io.questlog.contract.Settings.INGEST_SECRET_NAMES;
import static io.questlog.contract.Settings.KAFKA_BOOTSTRAP;
import static io.questlog.contract.Settings.KAFKA_COMPRESSION;
import static io.questlog.contract.Settings.KAFKA_LINGER;
import static io.questlog.contract.Settings.KAFKA_MAX_BLOCK;
import static io.questlog.contract.Settings.TOPIC;
import static io.questlog.contract.Settings.UA_CACHE_SIZE;
import io.questlog.contract.Env;
import io.questlog.contract.Settings;
import io.questlog.ingest.event.Limits;
import io.questlog.ingest.event.SecretNames;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
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
        Duration bodyTimeout,
        String trustedRequestIdHeader) {

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
        String host = env.string(INGEST_HOST);
        int port = env.integer(INGEST_PORT);
        String bootstrap = env.string(KAFKA_BOOTSTRAP);
        String topic = env.string(TOPIC);
        Duration delivery = env.duration(DELIVERY_TIMEOUT);
        Duration maxBlock = env.duration(KAFKA_MAX_BLOCK);
        Duration linger = env.duration(KAFKA_LINGER);
        String compression = env.string(KAFKA_COMPRESSION).toLowerCase();
        long maxBody = env.bytes(INGEST_MAX_BODY);
        int maxEvents = env.integer(INGEST_MAX_EVENTS);
        long maxEventSize = env.bytes(INGEST_MAX_EVENT_SIZE);
        Duration skew = env.duration(INGEST_MAX_CLOCK_SKEW);
        int maxAttributes = env.integer(INGEST_MAX_ATTRIBUTES);
        Duration retryAfter = env.duration(INGEST_RETRY_AFTER);
        int uaCache = env.integer(UA_CACHE_SIZE);
        List<String> apiKeys = list(Objects.toString(env.string(API_KEYS), ""));
        List<String> origins = list(Objects.toString(env.string(CORS_ORIGINS), ""));
        int maxInFlight = env.integer(INGEST_MAX_IN_FLIGHT);
        long maxInFlightBytes = env.bytes(INGEST_MAX_IN_FLIGHT_BYTES);
        int maxHeaders = env.integer(INGEST_MAX_HEADERS);
        int maxConnections = env.integer(INGEST_MAX_CONNECTIONS);
        Duration idleTimeout = env.duration(INGEST_IDLE_TIMEOUT);
        long minDataRate = env.bytes(INGEST_MIN_DATA_RATE);
        Duration bodyTimeout = env.duration(INGEST_BODY_TIMEOUT);
        List<String> secretNames = list(env.string(INGEST_SECRET_NAMES));

        if (port < 0 || port > 65535) env.error(INGEST_PORT.var() + "=" + port + " is not a port (0-65535)");
        if (!topic.matches("[A-Za-z0-9._-]{1,249}")) env.error(TOPIC.var() + "=" + topic + " is not a valid Kafka topic name");
        if (!COMPRESSIONS.contains(compression)) {
            env.error(KAFKA_COMPRESSION.var() + "=" + compression + " must be one of " + COMPRESSIONS);
        }
        if (delivery.toMillis() < 1000) env.error(DELIVERY_TIMEOUT.var() + " must be at least 1 second");
        if (linger.toMillis() >= delivery.toMillis()) {
            env.error(KAFKA_LINGER.var() + " must be shorter than " + DELIVERY_TIMEOUT.var());
        }
        if (maxBlock.toMillis() < 1) env.error(KAFKA_MAX_BLOCK.var() + " must be positive");
        if (maxBody < 1) env.error(INGEST_MAX_BODY.var() + " must be positive");
        if (maxEvents < 1) env.error(INGEST_MAX_EVENTS.var() + " must be at least 1");
        if (maxEventSize < 1 || maxEventSize > Integer.MAX_VALUE) {
            env.error(INGEST_MAX_EVENT_SIZE.var() + " must be between 1 byte and 2 GiB");
        }
        if (maxAttributes < 1) env.error(INGEST_MAX_ATTRIBUTES.var() + " must be at least 1");
        if (retryAfter.toSeconds() < 1) env.error(INGEST_RETRY_AFTER.var() + " must be at least 1 second");
        if (uaCache < 1) env.error(UA_CACHE_SIZE.var() + " must be at least 1");
        for (int i = 0; i < apiKeys.size(); i++) {
            // never echo a key: name its position only
            if (!API_KEY.matcher(apiKeys.get(i)).matches()) {
                env.error(API_KEYS.var() + ": key " + (i + 1) + " of " + apiKeys.size()
                        + " must be 16-256 visible ASCII characters without spaces or commas");
            }
        }
        for (String o : origins) {
            if (!o.equals("*") && !ORIGIN.matcher(o).matches()) {
                env.error(CORS_ORIGINS.var() + ": " + o + " is not an origin (https://host[:port], or *)");
            }
        }
        if (maxInFlight < 1) env.error(INGEST_MAX_IN_FLIGHT.var() + " must be at least 1");
        if (maxInFlightBytes < maxBody) {
            env.error(INGEST_MAX_IN_FLIGHT_BYTES.var() + " must be at least " + INGEST_MAX_BODY.var());
        }
        if (maxHeaders < 8) env.error(INGEST_MAX_HEADERS.var() + " must be at least 8");
        if (maxConnections < 1) env.error(INGEST_MAX_CONNECTIONS.var() + " must be at least 1");
        if (idleTimeout.toMillis() < 100) env.error(INGEST_IDLE_TIMEOUT.var() + " must be at least 100 ms");
        if (minDataRate < 1) env.error(INGEST_MIN_DATA_RATE.var() + " must be at least 1 byte (per second)");
        if (bodyTimeout.toMillis() < 100) env.error(INGEST_BODY_TIMEOUT.var() + " must be at least 100 ms");
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
                maxConnections, idleTimeout, secretNames, minDataRate, bodyTimeout,
                Objects.toString(env.string(Settings.TRUSTED_REQUEST_ID_HEADER), "").trim());
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
