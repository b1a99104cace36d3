package io.questlog.ingest.event;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeWriterTest {
    private static final String[] TEXT = {"", "a", "Mozilla/5.0 (X11; Linux x86_64)", "quote \" and \\ backslash",
            "tab\tnew\nline\u0001", "naïve café", "日本語", "emoji \uD83D\uDE00", "ÿ latin-1 from a header", "</script>"};

    @Test
    void writesWhatTheMapperWritesForTheRecord() throws Exception {
        Random rnd = new Random(7);
        EnvelopeWriter writer = new EnvelopeWriter();
        Map<String, String> shared = Envelope.freeze(map(rnd, 4));
        List<Envelope> batch = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // a batch shares one headers map; single requests bring a new one each
            Map<String, String> headers = rnd.nextInt(3) == 0 ? map(rnd, rnd.nextInt(6)) : shared;
            batch.add(new Envelope(pick(rnd), pick(rnd), pick(rnd), rnd.nextLong(), rnd.nextLong(),
                    rnd.nextBoolean() ? null : rnd.nextLong(),
                    pick(rnd), pick(rnd), pick(rnd), headers, pick(rnd), pick(rnd), pick(rnd), map(rnd, rnd.nextInt(5)),
                    Envelope.SCHEMA_VERSION));
        }
        for (Envelope e : batch) {
            // the bytes the mapper wrote to Kafka before (its UTF-8 generator escapes surrogate pairs)
            assertThat(new String(writer.write(e), "UTF-8")).isEqualTo(new String(Json.MAPPER.writeValueAsBytes(e), "UTF-8"));
        }
    }

    @Test
    void writesTheContractsFieldsInItsOrder() throws Exception {
        var json = Json.MAPPER.readTree(new EnvelopeWriter().write(envelope(Map.of())));
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        assertThat(names).isEqualTo(io.questlog.contract.EnvelopeSchema.names());
    }

    @Test
    void aWriterKeepsNoOtherEnvelopesHeaders() {
        EnvelopeWriter writer = new EnvelopeWriter();
        Envelope a = envelope(Map.of("x-a", "1"));
        Envelope b = envelope(Map.of("x-b", "2"));
        assertThat(new String(writer.write(a))).contains("\"headers\":{\"x-a\":\"1\"}");
        assertThat(new String(writer.write(b))).contains("\"headers\":{\"x-b\":\"2\"}");
        assertThat(new String(writer.write(a))).contains("\"headers\":{\"x-a\":\"1\"}");
    }

    @Test
    void deviceTsFollowsReceivedTsAndIsWrittenAsNullWhenAbsent() {
        EnvelopeWriter writer = new EnvelopeWriter();
        assertThat(new String(writer.write(envelope(Map.of())))).contains("\"received_ts\":2,\"device_ts\":null,\"host\"");
        Envelope withDevice = new Envelope("id", "t", "u", 1, 2, 1700000000000L, "h", "ua", "*/*", Map.of(), "b", "o", "d", Map.of(), 1);
        assertThat(new String(writer.write(withDevice))).contains("\"received_ts\":2,\"device_ts\":1700000000000,\"host\"");
    }

    private static Envelope envelope(Map<String, String> headers) {
        return new Envelope("id", "t", "u", 1, 2, null, "h", "ua", "*/*", headers, "b", "o", "d", Map.of(), 1);
    }

    private static String pick(Random rnd) {
        return TEXT[rnd.nextInt(TEXT.length)];
    }

    private static Map<String, String> map(Random rnd, int n) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < n; i++) m.put(pick(rnd) + i, pick(rnd));
        return m;
    }
}
