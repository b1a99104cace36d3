package io.questlog.stream.parse;

import static io.questlog.stream.TestSpark.envelope;
import static io.questlog.stream.TestSpark.kafkaRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.TestSpark;
import io.questlog.stream.TestSpark.Rec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParseTest {
    private static final Instant KAFKA_TS = Instant.parse("2024-05-01T12:00:00Z");
    private static final long EVENT_TS = Instant.parse("2024-04-30T23:59:59.123Z").toEpochMilli();

    static String columns(StructType schema) {
        return Arrays.stream(schema.fields()).map(f -> f.name() + ":" + f.dataType().simpleString()).collect(Collectors.joining(","));
    }

    @Test
    void goodEnvelopeBecomesOneEventRowWithEveryColumnInContractOrder() {
        String json = envelope("e-1", "purchase_sword", "u-1", EVENT_TS, "Chrome");
        Dataset<Row> events = Parse.events(Parse.classify(kafkaRows(List.of(new Rec(json, 3, 42, KAFKA_TS)))));

        assertThat(columns(events.schema())).isEqualTo(
                "event_id:string,event_type:string,user_id:string,event_ts:timestamp,received_ts:timestamp,"
                        + "host:string,user_agent:string,accept:string,headers:map<string,string>,"
                        + "browser_family:string,os_family:string,device_family:string,"
                        + "attributes:map<string,string>,schema_version:int,raw_event:string,"
                        + "kafka_partition:int,kafka_offset:bigint,device_ts:timestamp,dt:string");
        List<Row> rows = events.collectAsList();
        assertThat(rows).hasSize(1);
        Row r = rows.get(0);
        assertThat(r.getString(0)).isEqualTo("e-1");
        assertThat(r.getString(1)).isEqualTo("purchase_sword");
        assertThat(r.getString(2)).isEqualTo("u-1");
        assertThat(r.getTimestamp(3).toInstant()).isEqualTo(Instant.ofEpochMilli(EVENT_TS));
        assertThat(r.getTimestamp(4).toInstant()).isEqualTo(Instant.ofEpochMilli(EVENT_TS + 5));
        assertThat(r.getString(5)).isEqualTo("game.example");
        assertThat(r.getString(6)).isEqualTo("UA/1.0");
        assertThat(r.getString(7)).isEqualTo("*/*");
        assertThat(r.<String, String>getJavaMap(8)).isEqualTo(Map.of("x-request-id", "r-e-1"));
        assertThat(List.of(r.getString(9), r.getString(10), r.getString(11))).containsExactly("Chrome", "Linux", "Other");
        // a number inside attributes is kept as its JSON text
        assertThat(r.<String, String>getJavaMap(12)).isEqualTo(Map.of("sword_type", "katana", "price", "100"));
        assertThat(r.getInt(13)).isEqualTo(1);
        assertThat(r.getString(14)).isEqualTo(json);
        assertThat(r.getInt(15)).isEqualTo(3);
        assertThat(r.getLong(16)).isEqualTo(42L);
        assertThat(r.isNullAt(17)).isTrue(); // device_ts: the event carried no device time
        assertThat(r.getString(18)).isEqualTo("2024-04-30");
    }

    @Test
    void dtIsTheUtcDateOfEventTsWhateverTheSessionTimeZone() {
        SparkSession spark = TestSpark.session();
        long lateEvening = Instant.parse("2024-03-10T23:30:00Z").toEpochMilli();
        long justAfterMidnight = Instant.parse("2024-03-11T00:00:00Z").toEpochMilli();
        String before = spark.conf().get("spark.sql.session.timeZone");
        try {
            spark.conf().set("spark.sql.session.timeZone", "Asia/Tokyo"); // +9: would give 2024-03-11
            List<Row> rows = Parse.events(Parse.classify(kafkaRows(List.of(
                            new Rec(envelope("a", "default", "u", lateEvening, "Chrome"), 0, 0, KAFKA_TS),
                            new Rec(envelope("b", "default", "u", justAfterMidnight, "Chrome"), 0, 1, KAFKA_TS)))))
                    .orderBy("kafka_offset").select("event_id", "dt").collectAsList();
            assertThat(rows).extracting(r -> r.getString(0) + "@" + r.getString(1))
                    .containsExactly("a@2024-03-10", "b@2024-03-11");
        } finally {
            spark.conf().set("spark.sql.session.timeZone", before);
        }
    }

    @Test
    void theDevicesRawTimeIsKeptBesideTheCorrectedEventTime() {
        String json = envelope("d-1", "default", "u-1", EVENT_TS, "Chrome").replace("\"received_ts\"",
                "\"device_ts\":" + (EVENT_TS + 2_400_000) + ",\"received_ts\"");
        Row r = Parse.events(Parse.classify(kafkaRows(List.of(new Rec(json, 0, 1, KAFKA_TS))))).collectAsList().get(0);
        assertThat(r.getTimestamp(3).toInstant()).isEqualTo(Instant.ofEpochMilli(EVENT_TS));
        assertThat(r.getTimestamp(17).toInstant()).isEqualTo(Instant.ofEpochMilli(EVENT_TS + 2_400_000));
    }

    @Test
    void optionalFieldsMayBeMissing() {
        String minimal = "{\"event_id\":\"m\",\"event_type\":\"default\",\"user_id\":\"u\",\"event_ts\":" + EVENT_TS + "}";
        Dataset<Row> classified = Parse.classify(kafkaRows(List.of(new Rec(minimal, 0, 9, KAFKA_TS))));
        assertThat(Parse.bad(classified).count()).isZero();
        Row r = Parse.events(classified).collectAsList().get(0);
        assertThat(r.isNullAt(4)).isTrue(); // received_ts
        assertThat(r.isNullAt(8)).isTrue(); // headers
        assertThat(r.isNullAt(17)).isTrue(); // device_ts: the event carried no device time
        assertThat(r.getString(18)).isEqualTo("2024-04-30");
    }

    @Test
    void badRecordsGoToBadEventsWithAReasonAndKafkaCoordinates() {
        long ts = EVENT_TS;
        List<Rec> recs = List.of(
                new Rec("{not json", 0, 1, KAFKA_TS),
                new Rec("[1,2,3]", 0, 2, KAFKA_TS),
                new Rec("42", 0, 3, KAFKA_TS),
                new Rec("", 0, 4, KAFKA_TS),
                new Rec(null, 0, 5, KAFKA_TS),
                new Rec("{\"event_id\":\"x\",\"event_type\":\"default\",\"event_ts\":" + ts + "}", 1, 6, KAFKA_TS),
                new Rec("{\"event_type\":\"default\",\"user_id\":\" \"}", 1, 7, KAFKA_TS),
                new Rec("{\"event_id\":\"x\",\"event_type\":\"default\",\"user_id\":\"u\",\"event_ts\":\"soon\"}", 1, 8, KAFKA_TS),
                new Rec("{\"event_id\":\"x\",\"event_type\":\"default\",\"user_id\":\"u\",\"event_ts\":-5}", 1, 9, KAFKA_TS),
                new Rec(envelope("good", "default", "u", ts, "Chrome"), 1, 10, KAFKA_TS));
        Dataset<Row> classified = Parse.classify(kafkaRows(recs));
        Dataset<Row> bad = Parse.bad(classified);

        assertThat(columns(bad.schema())).isEqualTo(
                "raw:string,error:string,topic:string,kafka_partition:int,kafka_offset:bigint,received_ts:timestamp,dt:string");
        Map<Long, String> errors = bad.collectAsList().stream()
                .collect(Collectors.toMap(r -> r.getLong(4), r -> r.getString(1)));
        assertThat(errors).containsOnlyKeys(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(errors.get(1L)).isEqualTo("malformed JSON or a field of the wrong type");
        assertThat(errors.get(2L)).isEqualTo("not a JSON object");
        assertThat(errors.get(3L)).isEqualTo("not a JSON object");
        assertThat(errors.get(4L)).isEqualTo("not a JSON object");
        assertThat(errors.get(5L)).isEqualTo("empty record value");
        assertThat(errors.get(6L)).isEqualTo("missing required field(s): user_id");
        assertThat(errors.get(7L)).isEqualTo("missing required field(s): event_id, user_id, event_ts");
        assertThat(errors.get(8L)).isEqualTo("malformed JSON or a field of the wrong type");
        assertThat(errors.get(9L)).isEqualTo("event_ts out of range: -5");

        Row first = bad.filter("kafka_offset = 1").collectAsList().get(0);
        assertThat(first.getString(0)).isEqualTo("{not json");
        assertThat(first.getString(2)).isEqualTo(TestSpark.TOPIC);
        assertThat(first.getInt(3)).isEqualTo(0);
        assertThat(first.getTimestamp(5).toInstant()).isEqualTo(KAFKA_TS);
        assertThat(first.getString(6)).isEqualTo("2024-05-01"); // dt of the Kafka timestamp

        assertThat(Parse.events(classified).select("event_id").collectAsList())
                .extracting(r -> r.getString(0)).containsExactly("good");
    }

    @Test
    void repeatedEventIdsAreDroppedButBadRowsNeverAre(@TempDir Path dir) throws Exception {
        long ts = EVENT_TS;
        Dataset<Row> classified = Parse.classify(TestSpark.streamOf(List.of(
                new Rec(envelope("dup", "default", "u", ts, "Chrome"), 0, 1, KAFKA_TS),
                new Rec(envelope("dup", "default", "u", ts, "Chrome"), 1, 7, KAFKA_TS.plusSeconds(3)),
                new Rec(envelope("other", "default", "u", ts, "Chrome"), 0, 2, KAFKA_TS),
                new Rec("garbage", 0, 3, KAFKA_TS),
                new Rec("garbage", 0, 4, KAFKA_TS),
                new Rec(null, 0, 5, KAFKA_TS)), dir));
        Dataset<Row> deduped = Parse.dropDuplicateEvents(classified, Duration.ofMinutes(10))
                .select("event_id", "error");
        List<Row> rows = TestSpark.drain(deduped, "dedup");
        assertThat(rows.stream().filter(r -> r.isNullAt(1)).map(r -> r.getString(0)))
                .containsExactlyInAnyOrder("dup", "other");
        assertThat(rows.stream().filter(r -> !r.isNullAt(1))).hasSize(3);
    }
}
