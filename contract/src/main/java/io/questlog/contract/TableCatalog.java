package io.questlog.contract;

import static io.questlog.contract.EnvelopeSchema.ACCEPT;
import static io.questlog.contract.EnvelopeSchema.ATTRIBUTES;
import static io.questlog.contract.EnvelopeSchema.BROWSER_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_ID;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.EnvelopeSchema.HEADERS;
import static io.questlog.contract.EnvelopeSchema.HOST;
import static io.questlog.contract.EnvelopeSchema.OS_FAMILY;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.EnvelopeSchema.SCHEMA_VERSION_FIELD;
import static io.questlog.contract.EnvelopeSchema.USER_AGENT;
import static io.questlog.contract.EnvelopeSchema.USER_ID;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every table the stream-writer writes and analysts query: names, columns in file order, the partition column.
 * hive/ renders its DDL from here, the stream-writer selects these columns, the launcher's checks query them.
 */
public final class TableCatalog {
    /** Table and event-type names: what Hive, Trino and folder names all accept. */
    public static final String NAME_PATTERN = "[a-z][a-z0-9_]{0,63}";
    /** The partition column of every table: the UTC date, YYYY-MM-DD (of event_ts; of session_start for sessions). */
    public static final String PARTITION = "dt";

    public static final String EVENTS = "events";
    public static final String SESSIONS = "sessions";
    public static final String BAD_EVENTS = "bad_events";
    /** Tables the job writes itself: routes must not write into them. */
    public static final Set<String> RESERVED = Set.of(EVENTS, SESSIONS, BAD_EVENTS);

    // columns beyond the envelope's
    public static final String RAW_EVENT = "raw_event";
    public static final String KAFKA_PARTITION = "kafka_partition";
    public static final String KAFKA_OFFSET = "kafka_offset";
    public static final String RAW = "raw";
    public static final String ERROR = "error";
    public static final String TOPIC = "topic";
    public static final String SESSION_START = "session_start";
    public static final String SESSION_END = "session_end";
    public static final String DURATION_S = "duration_s";
    public static final String EVENT_COUNT = "event_count";
    public static final String PURCHASE_COUNT = "purchase_count";
    public static final String GUILD_JOIN_COUNT = "guild_join_count";

    private static final Map<String, Field> ENVELOPE = EnvelopeSchema.FIELDS.stream()
            .collect(Collectors.toMap(Field::name, Function.identity()));

    /**
     * Columns of {@code events} and of every routed table, in file order: the envelope flattened, then where the
     * record came from. device_ts comes last because it was added last (ALTER TABLE ... ADD COLUMNS appends).
     */
    public static final List<Field> EVENT_COLUMNS = List.of(
            ENVELOPE.get(EVENT_ID), ENVELOPE.get(EVENT_TYPE), ENVELOPE.get(USER_ID), ENVELOPE.get(EVENT_TS),
            ENVELOPE.get(RECEIVED_TS), ENVELOPE.get(HOST), ENVELOPE.get(USER_AGENT), ENVELOPE.get(ACCEPT),
            ENVELOPE.get(HEADERS), ENVELOPE.get(BROWSER_FAMILY), ENVELOPE.get(OS_FAMILY), ENVELOPE.get(DEVICE_FAMILY),
            ENVELOPE.get(ATTRIBUTES), ENVELOPE.get(SCHEMA_VERSION_FIELD),
            new Field(RAW_EVENT, Type.STRING, "the Kafka record's value, as received"),
            new Field(KAFKA_PARTITION, Type.INT, "the Kafka partition it was read from"),
            new Field(KAFKA_OFFSET, Type.BIGINT, "its offset there"),
            ENVELOPE.get(DEVICE_TS));

    public static final Table SESSIONS_TABLE = new Table(SESSIONS,
            "One row per closed session (QUESTLOG_SESSION_GAP of inactivity ends one); dt is the UTC date of session_start.",
            List.of(
                    new Field(USER_ID, Type.STRING, "whose session"),
                    new Field(SESSION_START, Type.TIMESTAMP, "its first event's event_ts"),
                    new Field(SESSION_END, Type.TIMESTAMP, "its last event's event_ts"),
                    new Field(DURATION_S, Type.BIGINT, "session_end - session_start, whole seconds"),
                    new Field(EVENT_COUNT, Type.BIGINT, "events in it"),
                    new Field(PURCHASE_COUNT, Type.BIGINT, EventTypes.PURCHASE_SWORD + " events in it"),
                    new Field(GUILD_JOIN_COUNT, Type.BIGINT, EventTypes.JOIN_GUILD + " events in it"),
                    new Field(BROWSER_FAMILY, Type.STRING, "its first event's"),
                    new Field(OS_FAMILY, Type.STRING, "its first event's"),
                    new Field(DEVICE_FAMILY, Type.STRING, "its first event's")));

    public static final Table BAD_EVENTS_TABLE = new Table(BAD_EVENTS,
            "Dead letters: records the stream-writer could not parse or validate, with where they came from.",
            List.of(
                    new Field(RAW, Type.STRING, "the Kafka record's value"),
                    new Field(ERROR, Type.STRING, "why it was not an event"),
                    new Field(TOPIC, Type.STRING, "the Kafka topic"),
                    new Field(KAFKA_PARTITION, Type.INT, "its partition"),
                    new Field(KAFKA_OFFSET, Type.BIGINT, "its offset"),
                    new Field(RECEIVED_TS, Type.TIMESTAMP, "the Kafka record's time")));

    private TableCatalog() {
    }

    /** {@code events} or a routed table: the envelope flattened. */
    public static Table eventTable(String name) {
        return new Table(name, name.equals(EVENTS)
                ? "Every valid event, de-duplicated on (user_id, event_id)."
                : "The events routed here by QUESTLOG_ROUTES; the same columns as events.", EVENT_COLUMNS);
    }

    /** Every table, in creation order: events, the routed tables, sessions, bad_events. */
    public static List<Table> all(Routes routes) {
        List<Table> tables = new ArrayList<>();
        tables.add(eventTable(EVENTS));
        routes.tables().forEach(t -> tables.add(eventTable(t)));
        tables.add(SESSIONS_TABLE);
        tables.add(BAD_EVENTS_TABLE);
        return List.copyOf(tables);
    }

    public static Table named(String name, Routes routes) {
        return all(routes).stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no table " + name + "; tables: "
                        + all(routes).stream().map(Table::name).collect(Collectors.joining(", "))));
    }
}
