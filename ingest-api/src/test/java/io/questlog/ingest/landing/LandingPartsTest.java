package io.questlog.ingest.landing;

import com.fasterxml.jackson.databind.JsonNode;
import io.questlog.ingest.event.InvalidEventException;
import io.questlog.ingest.event.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

class LandingPartsTest {

    static ImportIds.Scan scan(String content) throws Exception {
        return ImportIds.scan(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void idsAreTheSameOnEveryRunAndDistinctPerLineAndContent() throws Exception {
        String content = "{\"a\":1}\n{\"a\":2}\n";
        ImportIds.Scan once = scan(content);
        ImportIds.Scan again = scan(content);
        assertThat(once.hash()).hasSize(16).isEqualTo(again.hash());
        assertThat(ImportIds.eventId(once.hash(), 1)).isEqualTo(ImportIds.eventId(again.hash(), 1))
                .isEqualTo("imp-" + once.hash() + "-1")
                .isNotEqualTo(ImportIds.eventId(once.hash(), 2));
        assertThat(scan(content + "{\"a\":3}\n").hash()).isNotEqualTo(once.hash());
        assertThat(once.lines()).isEqualTo(2);
        assertThat(once.bytes()).isEqualTo(content.length());
    }

    @Test
    void theHashIsOfTheContentSoAGzippedCopyGetsTheSameIds() throws Exception {
        String content = "{\"a\":1}\n";
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
        var fromGz = ImportIds.scan(new java.util.zip.GZIPInputStream(new ByteArrayInputStream(gz.toByteArray())));
        assertThat(fromGz.hash()).isEqualTo(scan(content).hash());
    }

    @Test
    void progressMarkersRoundTripAndAnythingElseIsNoMarker() {
        Progress p = new Progress("0123456789abcdef", 15000);
        assertThat(p.format()).isEqualTo("0123456789abcdef 15000\n");
        assertThat(Progress.parse(p.format())).contains(p);
        assertThat(Progress.parse("")).isEmpty();
        assertThat(Progress.parse("0123456789abcdef")).isEmpty();
        assertThat(Progress.parse("0123456789abcdef -3")).isEmpty();
        assertThat(Progress.parse("xyz 12")).isEmpty();
        assertThat(Progress.parse("0123456789abcdef 12 extra")).isEmpty();
    }

    @Test
    void aRejectRecordHoldsTheLineTheApisCodeAndMessageAndTheRawText() throws Exception {
        InvalidEventException e = InvalidEventException.field(0, "user_id", "user_id or anonymous_id is required");
        JsonNode r = Json.MAPPER.readTree(LandingImport.rejectRecord(7, e, "{\"event_type\":\"x\"}"));
        assertThat(r.get("line").asLong()).isEqualTo(7);
        assertThat(r.get("reason").textValue()).isEqualTo("invalid_field");
        assertThat(r.get("error").textValue()).isEqualTo("user_id or anonymous_id is required");
        assertThat(r.get("field").textValue()).isEqualTo("user_id");
        assertThat(r.get("raw").textValue()).isEqualTo("{\"event_type\":\"x\"}");
        assertThat(Json.MAPPER.readTree(LandingImport.rejectRecord(1, InvalidEventException.badRequest("malformed_json", "m"), "{"))
                .has("field")).isFalse();
    }

    @Test
    void markersRejectsAndFilesStillBeingUploadedAreNotImported() {
        assertThat(LandingImport.isEventFile("events-2026.ndjson.gz")).isTrue();
        assertThat(LandingImport.isEventFile(".events.ndjson.progress")).isFalse();
        assertThat(LandingImport.isEventFile("_SUCCESS")).isFalse();
        assertThat(LandingImport.isEventFile("events.ndjson._COPYING_")).isFalse();
    }

    @Test
    void linesAreSplitOnNewlinesWithCrDroppedAndLongLinesKeptCut() throws Exception {
        String text = "ab\r\n\nabcdefgh\nlast";
        LineReader r = new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), 4);
        List<String> kept = new ArrayList<>();
        List<Long> lengths = new ArrayList<>();
        while (r.next()) {
            kept.add(new String(r.bytes(), 0, r.kept(), StandardCharsets.UTF_8));
            lengths.add(r.length());
        }
        assertThat(kept).containsExactly("ab", "", "abcde", "last");
        assertThat(lengths).containsExactly(2L, 0L, 8L, 4L);
        assertThat(r.bytesRead()).isEqualTo(text.length());
        assertThat(scan(text).lines()).isEqualTo(4);
    }
}
