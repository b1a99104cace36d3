package io.questlog.ingest.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.ObjIntConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Validates events and wraps them in the {@link Envelope}. Pure: the HTTP layer hands in the
 * request's {@link RequestInfo}; nothing here does I/O.
 */
public final class EnvelopeFactory {
    public static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    public static final int MAX_EVENT_ID_CHARS = 128;
    public static final int MAX_USER_ID_CHARS = 256;
    public static final int MAX_FAMILY_CHARS = 128;
    public static final int MAX_ATTRIBUTE_NAME_CHARS = 128;
    /** 2000-01-01T00:00:00Z: an earlier device_sent_timestamp is almost surely seconds sent as milliseconds. */
    public static final long MIN_DEVICE_TS = 946_684_800_000L;

    static final String F_EVENT_TYPE = "event_type";
    static final String F_USER_ID = "user_id";
    static final String F_ANONYMOUS_ID = "anonymous_id";
    static final String F_DEVICE_TS = "device_sent_timestamp";
    static final String F_EVENT_ID = "event_id";
    static final String F_SENT_AT = "sent_at";
    public static final String SENT_AT_HEADER = "X-Sent-At";
    static final String F_BROWSER = "browser_family";
    static final String F_OS = "os_family";
    static final String F_DEVICE = "device_family";

    private final UserAgentFamilies userAgents;
    private final Duration maxClockSkew;
    private final int maxAttributes;
    private final SecretNames secrets;
    private final ObjIntConsumer<String> secretsRemoved;
    private final Supplier<String> ids;

    /** Default limits and secret names (tests). */
    public EnvelopeFactory(UserAgentFamilies userAgents, Duration maxClockSkew, Supplier<String> ids) {
        this(userAgents, new Limits(Limits.DEFAULT.maxBodyBytes(), Limits.DEFAULT.maxEvents(), Limits.DEFAULT.maxEventBytes(),
                maxClockSkew, Limits.DEFAULT.maxAttributes()), SecretNames.defaults(), (where, n) -> { }, ids);
    }

    /**
     * @param secretsRemoved told how many secret-named attributes (where = "attribute") were dropped, for the metrics
     */
    public EnvelopeFactory(UserAgentFamilies userAgents, Limits limits, SecretNames secrets,
                           ObjIntConsumer<String> secretsRemoved, Supplier<String> ids) {
        this.userAgents = userAgents;
        this.maxClockSkew = limits.maxClockSkew();
        this.maxAttributes = limits.maxAttributes();
        this.secrets = secrets;
        this.secretsRemoved = secretsRemoved;
        this.ids = ids;
    }

    public static Supplier<String> randomIds() {
        return () -> UUID.randomUUID().toString();
    }

    /** Every event of a batch, or the first problem found (a batch is all or nothing). */
    public List<Envelope> fromUserEvents(List<ObjectNode> events, RequestInfo req) {
        List<Envelope> out = new ArrayList<>(events.size());
        UaOnce ua = new UaOnce(req.userAgent());
        for (int i = 0; i < events.size(); i++) {
            out.add(fromUserEvent(events.get(i), i, req, ua));
        }
        return out;
    }

    /** The request's User-Agent families, looked up at most once per request (all its events share them). */
    private final class UaOnce {
        private final String userAgent;
        private UserAgentFamilies.Families families;

        UaOnce(String userAgent) {
            this.userAgent = userAgent;
        }

        UserAgentFamilies.Families get() {
            if (families == null) families = userAgents.parse(userAgent);
            return families;
        }
    }

    /** One {@code POST /events} event; {@code index} is its place in the batch, for error reports. */
    public Envelope fromUserEvent(ObjectNode event, int index, RequestInfo req) {
        return fromUserEvent(event, index, req, new UaOnce(req.userAgent()));
    }

    private Envelope fromUserEvent(ObjectNode event, int index, RequestInfo req, UaOnce ua) {
        String eventType = requiredEventType(event, index);
        String userId = optionalId(event, F_USER_ID, index)
                .or(() -> optionalId(event, F_ANONYMOUS_ID, index))
                .orElseThrow(() -> InvalidEventException.field(index, F_USER_ID,
                        "user_id or anonymous_id is required"));
        Long deviceTs = deviceTimestamp(event, index);
        Long sentAt = sentAt(event, index);
        if (sentAt == null) sentAt = req.sentAt();
        long eventTs = deviceTs == null ? req.receivedTs() : eventTs(deviceTs, sentAt, req.receivedTs(), index);
        String eventId = eventId(event, index).orElseGet(() -> fromRequestId(req, "-" + index));

        UserAgentFamilies.Families parsed = null;
        Optional<String> browser = family(event, F_BROWSER, index);
        Optional<String> os = family(event, F_OS, index);
        Optional<String> device = family(event, F_DEVICE, index);
        if (browser.isEmpty() || os.isEmpty() || device.isEmpty()) parsed = ua.get();
        UserAgentFamilies.Families fromUa = parsed;

        TreeMap<String, String> attributes = new TreeMap<>();
        boolean userIdGiven = hasValue(event, F_USER_ID);
        int[] removed = {0};
        for (Iterator<Map.Entry<String, JsonNode>> it = event.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String name = f.getKey();
            switch (name) {
                // the envelope's own fields are never taken for secrets, whatever the configured names
                case F_EVENT_TYPE, F_USER_ID, F_DEVICE_TS, F_EVENT_ID, F_SENT_AT, F_BROWSER, F_OS, F_DEVICE -> {
                }
                // when both are sent, user_id is the key and the anonymous id is kept as an attribute
                case F_ANONYMOUS_ID -> {
                    if (userIdGiven) putAttribute(attributes, name, f.getValue(), index, removed);
                }
                default -> putAttribute(attributes, name, f.getValue(), index, removed);
            }
        }
        countRemoved(removed);
        return new Envelope(eventId, eventType, userId, eventTs, req.receivedTs(), deviceTs,
                req.host(), req.userAgent(), req.accept(), req.headers(),
                browser.orElseGet(fromUa::browser), os.orElseGet(fromUa::os), device.orElseGet(fromUa::device),
                Collections.unmodifiableSortedMap(attributes), Envelope.SCHEMA_VERSION);
    }

    /**
     * One request to a game endpoint ({@code /}, {@code /purchase_a_sword}, {@code /join_a_guild}).
     * The user is the body's user_id/anonymous_id, else the user_id query parameter, else the
     * X-User-Id header, else the Host header (the seed's stand-in for a user).
     */
    public Envelope fromGameRequest(String eventType, Map<String, String> queryParams, Optional<ObjectNode> body,
                                    RequestInfo req) {
        String eventId = gameEventId(queryParams, body, req);
        Map<String, String> attributes = new TreeMap<>();
        int[] removed = {0};
        queryParams.forEach((name, value) -> {
            if (name.equals(F_USER_ID) || name.equals(F_EVENT_ID)) return;
            if (secrets.matches(name)) removed[0]++;
            else putAttribute(attributes, name, secrets.scrubQuery(value, removed), null);
        });
        Optional<String> bodyUser = Optional.empty();
        if (body.isPresent()) {
            ObjectNode b = body.get();
            bodyUser = optionalId(b, F_USER_ID, 0).or(() -> optionalId(b, F_ANONYMOUS_ID, 0));
            boolean userIdGiven = hasValue(b, F_USER_ID);
            for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (f.getKey().equals(F_USER_ID) || f.getKey().equals(F_EVENT_ID)
                        || (f.getKey().equals(F_ANONYMOUS_ID) && !userIdGiven)) continue;
                putAttribute(attributes, f.getKey(), f.getValue(), 0, removed);
            }
        }
        countRemoved(removed);
        String userId = bodyUser
                .or(() -> nonBlank(queryParams.get(F_USER_ID)).map(u -> boundedUserId(u, F_USER_ID)))
                .or(() -> nonBlank(req.userIdHeader()).map(u -> boundedUserId(u, "X-User-Id")))
                .or(() -> nonBlank(req.host()).map(u -> boundedUserId(u, "Host")))
                .orElse("unknown");
        UserAgentFamilies.Families fam = userAgents.parse(req.userAgent());
        return new Envelope(eventId, eventType, userId, req.receivedTs(), req.receivedTs(), null,
                req.host(), req.userAgent(), req.accept(), req.headers(),
                fam.browser(), fam.os(), fam.device(), attributes, Envelope.SCHEMA_VERSION);
    }

    /**
     * A game request's idempotency key: the event_id query (or form) parameter, else the Idempotency-Key
     * header, else a JSON body's event_id, else the trusted load balancer's request id, else a new random id.
     * Clients that retry send the same key (and a balancer that retries, the same request id), and the
     * stream-writer keeps one event per (user_id, event_id).
     */
    private String gameEventId(Map<String, String> params, Optional<ObjectNode> body, RequestInfo req) {
        String fromQuery = params.get(F_EVENT_ID);
        if (fromQuery != null) return requireEventId(fromQuery, F_EVENT_ID);
        if (!req.idempotencyKey().isEmpty()) return requireEventId(req.idempotencyKey(), "Idempotency-Key");
        if (body.isPresent()) {
            Optional<String> fromBody = eventId(body.get(), 0);
            if (fromBody.isPresent()) return fromBody.get();
        }
        return fromRequestId(req, "");
    }

    /**
     * An event_id minted from the trusted load balancer's request id ({@code suffix}: the event's place in a batch),
     * so the copy a balancer's retry produces again carries the same id; a random one when there is none or it is not
     * a valid event_id.
     */
    private String fromRequestId(RequestInfo req, String suffix) {
        String id = "rid-" + req.requestId() + suffix;
        return !req.requestId().isEmpty() && isEventId(id) ? id : ids.get();
    }

    /** A user id from the query, X-User-Id or Host: at most 256 characters, as in a body. */
    private static String boundedUserId(String id, String field) {
        if (id.length() > MAX_USER_ID_CHARS) {
            throw new InvalidEventException(400, "invalid_field", field + " (the user id) is longer than "
                    + MAX_USER_ID_CHARS + " characters", null, field);
        }
        return id;
    }

    private static String requireEventId(String id, String field) {
        if (!isEventId(id)) {
            throw new InvalidEventException(400, "invalid_field", field
                    + " must be a UUID-like string (letters, digits, . _ : -; at most 128 characters)", null, field);
        }
        return id;
    }

    private static String requiredEventType(ObjectNode event, int index) {
        JsonNode v = event.get(F_EVENT_TYPE);
        if (v == null || v.isNull()) throw InvalidEventException.field(index, F_EVENT_TYPE, "event_type is required");
        if (!v.isTextual()) throw InvalidEventException.field(index, F_EVENT_TYPE, "event_type must be a string");
        if (!EVENT_TYPE.matcher(v.textValue()).matches()) {
            throw InvalidEventException.field(index, F_EVENT_TYPE,
                    "event_type must match " + EVENT_TYPE.pattern() + " (lower-case letters, digits, underscores)");
        }
        return v.textValue();
    }

    /** A user id: a non-blank string of at most 256 characters, or an integer (stringified). */
    private static Optional<String> optionalId(ObjectNode event, String field, int index) {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        String s;
        if (v.isTextual()) s = v.textValue();
        else if (v.isIntegralNumber()) s = v.asText();
        else throw InvalidEventException.field(index, field, field + " must be a string");
        if (s.isBlank()) throw InvalidEventException.field(index, field, field + " must not be empty");
        if (s.length() > MAX_USER_ID_CHARS) {
            throw InvalidEventException.field(index, field, field + " is longer than " + MAX_USER_ID_CHARS + " characters");
        }
        requireWellFormed(s, index, field);
        return Optional.of(s);
    }

    /** The raw device_sent_timestamp (null when absent): integer epoch ms, not before 2000. */
    private static Long deviceTimestamp(ObjectNode event, int index) {
        JsonNode v = event.get(F_DEVICE_TS);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw InvalidEventException.field(index, F_DEVICE_TS,
                    "device_sent_timestamp must be an integer number of epoch milliseconds");
        }
        long ts = v.longValue();
        if (ts < 0) throw InvalidEventException.field(index, F_DEVICE_TS, "device_sent_timestamp must not be negative");
        if (ts < MIN_DEVICE_TS) {
            throw InvalidEventException.field(index, F_DEVICE_TS, "device_sent_timestamp " + ts
                    + " is before 2000-01-01: send epoch milliseconds (this looks like seconds)");
        }
        return ts;
    }

    /** The event's own sent_at (null when absent): the device clock when the batch was sent. */
    private static Long sentAt(ObjectNode event, int index) {
        JsonNode v = event.get(F_SENT_AT);
        if (v == null || v.isNull()) return null;
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < MIN_DEVICE_TS) {
            throw InvalidEventException.field(index, F_SENT_AT,
                    "sent_at must be an integer number of epoch milliseconds, not before 2000-01-01");
        }
        return v.longValue();
    }

    /** The X-Sent-At header (null when absent); the same rules as an event's sent_at, 400 naming the header. */
    public static Long sentAtHeader(String value) {
        if (value == null || value.isBlank()) return null;
        String v = value.trim();
        long ms = -1;
        if (v.length() <= 18 && v.chars().allMatch(c -> c >= '0' && c <= '9')) ms = Long.parseLong(v);
        if (ms < MIN_DEVICE_TS) {
            throw new InvalidEventException(400, "invalid_field", SENT_AT_HEADER
                    + " must be an integer number of epoch milliseconds, not before 2000-01-01", null, SENT_AT_HEADER);
        }
        return ms;
    }

    /**
     * The event's time on the server's clock. With sent_at (the device clock at sending) the device's offset is
     * received_ts - sent_at, as Segment and RudderStack correct it: a device 40 minutes fast is shifted back 40
     * minutes (network time counts as skew, a few ms). The forward bound applies to the corrected time; the
     * backward one (2000-01-01) to the raw value, already checked.
     */
    private long eventTs(long deviceTs, Long sentAt, long receivedTs, int index) {
        long ts = deviceTs;
        if (sentAt != null) {
            try {
                ts = Math.addExact(deviceTs, Math.subtractExact(receivedTs, sentAt));
            } catch (ArithmeticException e) {
                ts = -1;
            }
            if (ts < 0) {
                throw InvalidEventException.field(index, F_DEVICE_TS,
                        "device_sent_timestamp corrected by sent_at is out of range (check both clocks)");
            }
        }
        if (ts > receivedTs + maxClockSkew.toMillis()) {
            throw InvalidEventException.field(index, F_DEVICE_TS, "device_sent_timestamp is more than "
                    + human(maxClockSkew) + " in the future" + (sentAt == null ? "" : " even after the sent_at correction")
                    + " (check the device clock)");
        }
        return ts;
    }

    private static Optional<String> eventId(ObjectNode event, int index) {
        JsonNode v = event.get(F_EVENT_ID);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual() || !isEventId(v.textValue())) {
            throw InvalidEventException.field(index, F_EVENT_ID,
                    "event_id must be a UUID-like string (letters, digits, . _ : -; at most 128 characters)");
        }
        return Optional.of(v.textValue());
    }

    /**
     * A UUID or any similar opaque id: [A-Za-z0-9][A-Za-z0-9._:-]{0,127}. A loop, not a regex: the check
     * runs for every event, and the regex took 7% of a 500-event batch's CPU (JFR, bench/ingest).
     */
    static boolean isEventId(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_EVENT_ID_CHARS || !isAsciiLetterOrDigit(s.charAt(0))) return false;
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != ':' && c != '-') return false;
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    private static Optional<String> family(ObjectNode event, String field, int index) {
        JsonNode v = event.get(field);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual() || v.textValue().isBlank() || v.textValue().length() > MAX_FAMILY_CHARS) {
            throw InvalidEventException.field(index, field,
                    field + " must be a non-empty string of at most " + MAX_FAMILY_CHARS + " characters");
        }
        requireWellFormed(v.textValue(), index, field);
        return Optional.of(v.textValue());
    }

    /**
     * Strings as they are, null dropped, everything else as its JSON text. A secret-named field is dropped,
     * at any depth of an object, and so is a secret-named parameter of a URL held in a string.
     */
    private void putAttribute(Map<String, String> attributes, String name, JsonNode value, int index, int[] removed) {
        if (value == null || value.isNull()) return;
        if (secrets.matches(name)) {
            removed[0]++;
            return;
        }
        String text = value.isTextual() ? secrets.scrubQuery(value.textValue(), removed) : scrub(value, removed).toString();
        requireWellFormed(name, index, name);
        requireWellFormed(text, index, name);
        putAttribute(attributes, name, text, index);
    }

    /** Every attribute passes here: its name and the event's count are bounded (what reaches memory and Kafka). */
    private void putAttribute(Map<String, String> attributes, String name, String text, Integer index) {
        if (name.length() > MAX_ATTRIBUTE_NAME_CHARS) {
            String shown = name.substring(0, 32) + "...";
            throw new InvalidEventException(400, "invalid_field", "attribute name " + shown + " has " + name.length()
                    + " characters, more than " + MAX_ATTRIBUTE_NAME_CHARS, index, shown);
        }
        if (attributes.size() >= maxAttributes && !attributes.containsKey(name)) {
            throw new InvalidEventException(400, "too_many_attributes", "event has more than " + maxAttributes
                    + " attributes (fields besides the envelope's own, query and form parameters included)", index, null);
        }
        attributes.put(name, text);
    }

    /** Removes secret-named fields from nested objects, in place (the tree is this request's own parse). */
    private JsonNode scrub(JsonNode node, int[] removed) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (secrets.matches(f.getKey())) {
                    it.remove();
                    removed[0]++;
                } else if (f.getValue().isContainerNode()) {
                    scrub(f.getValue(), removed);
                } else if (f.getValue().isTextual()) {
                    String t = f.getValue().textValue();
                    String s = secrets.scrubQuery(t, removed);
                    if (s != t) f.setValue(com.fasterxml.jackson.databind.node.TextNode.valueOf(s));
                }
            }
        } else if (node.isArray()) {
            var array = (com.fasterxml.jackson.databind.node.ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                JsonNode el = array.get(i);
                if (el.isContainerNode()) scrub(el, removed);
                else if (el.isTextual()) {
                    String s = secrets.scrubQuery(el.textValue(), removed);
                    if (s != el.textValue()) array.set(i, com.fasterxml.jackson.databind.node.TextNode.valueOf(s));
                }
            }
        }
        return node;
    }

    private void countRemoved(int[] removed) {
        if (removed[0] > 0) secretsRemoved.accept("attribute", removed[0]);
    }

    /**
     * JSON's \\u escapes can spell half of a surrogate pair, which no UTF-8 encoder can write: refuse it
     * here (400, naming the field) rather than fail later while producing.
     */
    static void requireWellFormed(String s, int index, String field) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE) continue;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            throw new InvalidEventException(400, "invalid_utf8", field + " holds an unpaired UTF-16 surrogate (\\u"
                    + Integer.toHexString(c) + "): not valid Unicode text", index, field);
        }
    }

    private static boolean hasValue(ObjectNode event, String field) {
        JsonNode v = event.get(field);
        return v != null && !v.isNull();
    }

    private static Optional<String> nonBlank(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    static String human(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) return plural(d.toHours(), "hour");
        if (d.toMillis() % 60_000 == 0) return plural(d.toMinutes(), "minute");
        if (d.toMillis() % 1000 == 0) return plural(d.toSeconds(), "second");
        return d.toMillis() + " ms";
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
