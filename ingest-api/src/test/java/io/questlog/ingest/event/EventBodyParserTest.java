package io.questlog.ingest.event;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static io.questlog.ingest.event.EventBodyParser.Format.JSON;
import static io.questlog.ingest.event.EventBodyParser.Format.NDJSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventBodyParserTest {
    final EventBodyParser parser = new EventBodyParser(new Limits(1 << 20, 3, 64, Duration.ofHours(1)));

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    InvalidEventException failure(String body, EventBodyParser.Format f) {
        try {
            parser.parse(b(body), f);
        } catch (InvalidEventException e) {
            return e;
        }
        throw new AssertionError("parsed: " + body);
    }

    @Test
    void oneObject() {
        assertThat(parser.parse(b(" {\"a\":1} \n"), JSON)).hasSize(1).first().satisfies(o -> assertThat(o.get("a").intValue()).isEqualTo(1));
    }

    @Test
    void arrayOfObjects() {
        assertThat(parser.parse(b("[{\"a\":1},{\"a\":2}]"), JSON)).extracting(o -> o.get("a").intValue()).containsExactly(1, 2);
    }

    @Test
    void ndjsonSkipsBlankLinesAndCarriageReturns() {
        assertThat(parser.parse(b("{\"a\":1}\r\n\n  \n{\"a\":2}"), NDJSON)).extracting(o -> o.get("a").intValue()).containsExactly(1, 2);
    }

    @Test
    void emptyBodies() {
        assertThat(failure("", JSON).reason()).isEqualTo("empty_body");
        assertThat(failure(" \n ", NDJSON).reason()).isEqualTo("empty_body");
        assertThat(failure("[]", JSON).reason()).isEqualTo("empty_body");
    }

    @Test
    void malformedJsonNamesThePosition() {
        InvalidEventException e = failure("{\"a\":1,\n \"b\" 2}", JSON);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.getMessage()).contains("line 2, column");
    }

    @Test
    void truncatedArrayNamesTheEventBeingRead() {
        InvalidEventException e = failure("[{\"a\":1},{\"a\":", JSON);
        assertThat(e.reason()).isEqualTo("malformed_json");
        assertThat(e.index()).contains(1);
        assertThat(e.getMessage()).contains("end-of-input");
    }

    @Test
    void errorMessagesCarryNoSourceNoise() {
        assertThat(failure("{\"a\":1", JSON).getMessage()).doesNotContain("Source").contains("line: 1, column: 1");
    }

    @Test
    void trailingContentIsRefused() {
        assertThat(failure("{\"a\":1} {\"a\":2}", JSON).getMessage()).contains("after the end");
    }

    @Test
    void nonObjectsAreRefused() {
        assertThat(failure("\"text\"", JSON).reason()).isEqualTo("not_an_object");
        InvalidEventException e = failure("[{\"a\":1}, 5]", JSON);
        assertThat(e.index()).contains(1);
        assertThat(failure("{\"a\":1}\n[1]", NDJSON).index()).contains(1);
    }

    @Test
    void ndjsonBadLineNamesItsIndexAndLine() {
        InvalidEventException e = failure("{\"a\":1}\n\n{\"a\":2}\n{\"a\":", NDJSON);
        assertThat(e.index()).contains(2);
        assertThat(e.getMessage()).contains("line 4");
    }

    @Test
    void tooManyEvents() {
        assertThat(failure("[{},{},{},{}]", JSON).status()).isEqualTo(413);
        assertThat(failure("{}\n{}\n{}\n{}", NDJSON).reason()).isEqualTo("too_many_events");
    }

    @Test
    void eventTooLarge() {
        String big = "{\"a\":\"" + "x".repeat(64) + "\"}";
        InvalidEventException e = failure("[{}," + big + "]", JSON);
        assertThat(e.status()).isEqualTo(413);
        assertThat(e.index()).contains(1);
        assertThat(failure(big, NDJSON).reason()).isEqualTo("event_too_large");
        assertThat(failure(big, JSON).reason()).isEqualTo("event_too_large");
    }

    @Test
    void duplicateKeysAreMalformed() {
        assertThat(failure("{\"a\":1,\"a\":2}", JSON).reason()).isEqualTo("malformed_json");
    }
}
