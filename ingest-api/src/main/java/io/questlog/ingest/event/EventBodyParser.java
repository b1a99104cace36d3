package io.questlog.ingest.event;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a {@code POST /events} body into event objects: one JSON object, a JSON array of objects,
 * or NDJSON (one object per line, blank lines ignored). Enforces the per-batch event count and
 * per-event size; the body size itself is bounded while it is read (see the HTTP layer).
 */
public final class EventBodyParser {
    public enum Format { JSON, NDJSON }

    /** Reads one value out of a longer stream (the whole-body mapper refuses trailing tokens). */
    private static final ObjectReader TREE = Json.MAPPER.readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Limits limits;

    public EventBodyParser(Limits limits) {
        this.limits = limits;
    }

    public List<ObjectNode> parse(byte[] body, Format format) {
        if (isBlank(body)) {
            throw InvalidEventException.badRequest("empty_body", "empty body: send one JSON object, an array of objects, or NDJSON");
        }
        List<ObjectNode> events = format == Format.NDJSON ? parseNdjson(body) : parseJson(body);
        if (events.isEmpty()) {
            throw InvalidEventException.badRequest("empty_body", "no events in the body");
        }
        return events;
    }

    private List<ObjectNode> parseJson(byte[] body) {
        requireUtf8(body);
        List<ObjectNode> events = new ArrayList<>();
        Integer current = null; // index of the array element being read, for error reports
        try (JsonParser p = Json.MAPPER.createParser(body)) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.START_OBJECT) {
                events.add(readEvent(p, 0));
            } else if (t == JsonToken.START_ARRAY) {
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    int index = events.size();
                    current = index;
                    if (t == null) throw malformed("unexpected end of input inside the array", p.currentLocation(), index);
                    checkCount(index);
                    if (t != JsonToken.START_OBJECT) {
                        throw new InvalidEventException(400, "not_an_object",
                                "event " + index + " is " + describe(t) + ", expected a JSON object", index, null);
                    }
                    events.add(readEvent(p, index));
                }
                current = null;
            } else {
                throw InvalidEventException.badRequest("not_an_object",
                        "body is " + describe(t) + ", expected a JSON object or an array of objects");
            }
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw malformed("unexpected " + describe(trailing) + " after the end of the JSON value", p.currentTokenLocation(), null);
            }
        } catch (JacksonException e) {
            throw malformed(Json.reason(e), Json.problem(e), e.getLocation(), current);
        } catch (IOException e) {
            throw InvalidEventException.badRequest("malformed_json", "unreadable body: " + e.getMessage());
        }
        return events;
    }

    private ObjectNode readEvent(JsonParser p, int index) throws IOException {
        long start = p.currentTokenLocation().getByteOffset();
        JsonNode node = TREE.readValue(p);
        long end = p.currentLocation().getByteOffset();
        checkSize(end - start, index);
        return (ObjectNode) node;
    }

    private List<ObjectNode> parseNdjson(byte[] body) {
        List<ObjectNode> events = new ArrayList<>();
        int lineNo = 0;
        int start = 0;
        while (start < body.length) {
            int nl = indexOf(body, (byte) '\n', start);
            int end = nl < 0 ? body.length : nl;
            lineNo++;
            int len = end - start;
            if (len > 0 && body[end - 1] == '\r') len--;
            if (!isBlank(body, start, len)) {
                int index = events.size();
                checkCount(index);
                checkSize(len, index);
                events.add(parseLine(body, start, len, index, lineNo));
            }
            start = end + 1;
        }
        return events;
    }

    /** One NDJSON line on its own (the landing import reads files line by line); {@code lineNo} names it in errors. */
    public static ObjectNode parseLine(byte[] line, int len, int lineNo) {
        return parseLine(line, 0, len, 0, lineNo);
    }

    private static ObjectNode parseLine(byte[] body, int off, int len, int index, int lineNo) {
        int bad = Utf8.firstInvalid(body, off, len);
        if (bad >= 0) {
            throw new InvalidEventException(400, "invalid_utf8", "line " + lineNo + " is not valid UTF-8 (byte "
                    + String.format("0x%02X", body[bad] & 0xFF) + " at column " + (bad - off + 1) + ")", index, null);
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body, off, len);
        } catch (JacksonException e) {
            JsonLocation loc = e.getLocation();
            String where = loc == null ? "" : ", column " + loc.getColumnNr();
            throw new InvalidEventException(400, Json.reason(e),
                    "malformed JSON on line " + lineNo + where + ": " + Json.problem(e), index, null);
        } catch (IOException e) {
            throw new InvalidEventException(400, "malformed_json", "unreadable line " + lineNo, index, null);
        }
        if (!(node instanceof ObjectNode obj)) {
            throw new InvalidEventException(400, "not_an_object",
                    "line " + lineNo + " is " + describe(node == null ? null : node.asToken()) + ", expected a JSON object", index, null);
        }
        return obj;
    }

    /** A whole JSON body must be valid UTF-8 (the error names the byte and its line). */
    public static void requireUtf8(byte[] body) {
        int bad = Utf8.firstInvalid(body, 0, body.length);
        if (bad >= 0) {
            throw InvalidEventException.badRequest("invalid_utf8", "body is not valid UTF-8 (byte "
                    + String.format("0x%02X", body[bad] & 0xFF) + " at offset " + bad + ", line " + Utf8.lineOf(body, bad) + ")");
        }
    }

    private void checkCount(int index) {
        if (index >= limits.maxEvents()) {
            throw new InvalidEventException(413, "too_many_events",
                    "more than " + limits.maxEvents() + " events in one request: split the batch", null, null);
        }
    }

    private void checkSize(long bytes, int index) {
        if (bytes > limits.maxEventBytes()) {
            throw new InvalidEventException(413, "event_too_large",
                    "event " + index + " has " + bytes + " bytes, more than the limit of " + limits.maxEventBytes(), index, null);
        }
    }

    private static InvalidEventException malformed(String what, JsonLocation loc, Integer index) {
        return malformed("malformed_json", what, loc, index);
    }

    private static InvalidEventException malformed(String reason, String what, JsonLocation loc, Integer index) {
        String where = loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr()
                + " (byte " + loc.getByteOffset() + ")";
        return new InvalidEventException(400, reason, "malformed JSON" + where + ": " + what, index, null);
    }

    private static String describe(JsonToken t) {
        if (t == null) return "nothing";
        return switch (t) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> t.toString();
        };
    }

    private static int indexOf(byte[] b, byte c, int from) {
        for (int i = from; i < b.length; i++) if (b[i] == c) return i;
        return -1;
    }

    private static boolean isBlank(byte[] b) {
        return isBlank(b, 0, b.length);
    }

    private static boolean isBlank(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return false;
        }
        return true;
    }
}
