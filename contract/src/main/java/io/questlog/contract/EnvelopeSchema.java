package io.questlog.contract;

import java.util.List;

/**
 * The JSON envelope ingest-api produces to Kafka topic {@code events} and the stream-writer reads: one object per
 * event, snake_case fields in this order. Times are epoch milliseconds (UTC). The names are compile-time constants,
 * so Jackson annotations and Spark schemas are written against them.
 */
public final class EnvelopeSchema {
    public static final int SCHEMA_VERSION = 1;

    public static final String EVENT_ID = "event_id";
    public static final String EVENT_TYPE = "event_type";
    public static final String USER_ID = "user_id";
    public static final String EVENT_TS = "event_ts";
    public static final String RECEIVED_TS = "received_ts";
    public static final String DEVICE_TS = "device_ts";
    public static final String HOST = "host";
    public static final String USER_AGENT = "user_agent";
    public static final String ACCEPT = "accept";
    public static final String HEADERS = "headers";
    public static final String BROWSER_FAMILY = "browser_family";
    public static final String OS_FAMILY = "os_family";
    public static final String DEVICE_FAMILY = "device_family";
    public static final String ATTRIBUTES = "attributes";
    public static final String SCHEMA_VERSION_FIELD = "schema_version";

    /** Every field, in the order ingest-api writes them. */
    public static final List<Field> FIELDS = List.of(
            new Field(EVENT_ID, Type.STRING, "the client's id (unique per user), or one ingest-api made"),
            new Field(EVENT_TYPE, Type.STRING, "what happened: default, purchase_sword, join_guild, or the client's type"),
            new Field(USER_ID, Type.STRING, "who: the client's user id (at most 256 characters)"),
            new Field(EVENT_TS, Type.TIMESTAMP, "when it happened: the device's time, corrected by sent_at if sent"),
            new Field(RECEIVED_TS, Type.TIMESTAMP, "when ingest-api received it"),
            new Field(DEVICE_TS, Type.TIMESTAMP, "the device's time exactly as sent; null if none was"),
            new Field(HOST, Type.STRING, "the request's Host header"),
            new Field(USER_AGENT, Type.STRING, "the request's User-Agent"),
            new Field(ACCEPT, Type.STRING, "the request's Accept header"),
            new Field(HEADERS, Type.STRING_MAP, "the request's other headers, secrets removed"),
            new Field(BROWSER_FAMILY, Type.STRING, "parsed from the User-Agent, or Other"),
            new Field(OS_FAMILY, Type.STRING, "parsed from the User-Agent, or Other"),
            new Field(DEVICE_FAMILY, Type.STRING, "parsed from the User-Agent, or Other"),
            new Field(ATTRIBUTES, Type.STRING_MAP, "the event's own fields (query or form parameters, JSON fields), secrets removed"),
            new Field(SCHEMA_VERSION_FIELD, Type.INT, "the envelope's version, " + SCHEMA_VERSION));

    private EnvelopeSchema() {
    }

    public static List<String> names() {
        return FIELDS.stream().map(Field::name).toList();
    }
}
