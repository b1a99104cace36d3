package io.questlog.stream.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.TestSpark;
import io.questlog.stream.parse.Parse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class OpenSessionsTest {
    static final Duration GAP = Duration.ofMinutes(30);
    /** The columns the sessions query reads (the other columns do not matter). */
    static final StructType EVENTS = new StructType()
            .add("event_id", DataTypes.StringType).add("user_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType).add("event_ts", DataTypes.TimestampType)
            .add("browser_family", DataTypes.StringType).add("os_family", DataTypes.StringType)
            .add("device_family", DataTypes.StringType)
            .add("error", DataTypes.StringType).add(Parse.LATE, DataTypes.BooleanType)
            .add("received_ts", DataTypes.TimestampType).add("kafka_ts", DataTypes.TimestampType);

    static Dataset<Row> events(List<Row> rows) {
        return TestSpark.session().createDataFrame(rows, EVENTS);
    }

    static List<String> sorted(Dataset<Row> sessions) {
        return sessions.drop("dt").orderBy("user_id", "session_start").collectAsList().stream().map(Row::toString).toList();
    }

    /** A batch's good, on-time events as one-event partials, in a random order (as they reach a user's state). */
    static List<Row> pieces(List<Row> batch, Random r) {
        List<Row> out = new ArrayList<>();
        for (Row e : batch) {
            if (e.getString(7) != null || e.getBoolean(8)) continue; // bad and late events never reach a session
            out.add(OpenSessions.piece(e.getString(1), e.getTimestamp(3), e.getString(2), e.getString(4), e.getString(5),
                    e.getString(6)));
        }
        Collections.shuffle(out, r);
        return out;
    }

    @Test
    void theWatermarksClockIsTheEventTimeButNeverLaterThanItsReceipt() {
        Instant now = Instant.parse("2024-06-01T10:00:00Z");
        Instant forty = now.plusSeconds(40 * 60);
        Instant back = now.minusSeconds(40 * 60);
        StructType times = new StructType().add("event_ts", DataTypes.TimestampType)
                .add("received_ts", DataTypes.TimestampType).add("kafka_ts", DataTypes.TimestampType);
        List<Row> rows = List.of(
                RowFactory.create(Timestamp.from(forty), Timestamp.from(now), Timestamp.from(now.plusMillis(5))), // fast clock
                RowFactory.create(Timestamp.from(back), Timestamp.from(now), Timestamp.from(now)), // backfill
                RowFactory.create(Timestamp.from(forty), null, Timestamp.from(now.plusMillis(5)))); // Kafka's time then
        assertThat(TestSpark.session().createDataFrame(rows, times).select(SessionsStream.trustedTime()).collectAsList())
                .extracting(r -> r.getTimestamp(0).toInstant())
                .containsExactly(now, back, now.plusMillis(5));
    }

    @Test
    void combiningEachBatchsEventsInAnyOrderWithTheOpenPartialsGivesTheSessionsOfAllEventsAtOnce() {
        Random r = new Random(7);
        Instant t0 = Instant.parse("2024-06-01T10:00:00Z");
        String[] types = {"default", "purchase_sword", "join_guild"};
        List<List<Row>> batches = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Row> good = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            // a user's events about 24 minutes apart, some exactly 30: sessions split and join across batches
            long minute = r.nextInt(8) == 0 ? 30 * (long) r.nextInt(267) : r.nextInt(8000);
            String error = r.nextInt(20) == 0 ? "malformed JSON" : null;
            boolean late = error == null && r.nextInt(20) == 0;
            Row row = RowFactory.create("e" + i, "u" + r.nextInt(6), types[r.nextInt(3)],
                    Timestamp.from(t0.plusSeconds(minute * 60)), r.nextInt(5) == 0 ? null : "B" + r.nextInt(3), "O", "D",
                    error, late, Timestamp.from(t0.plusSeconds(minute * 60 + 1)), Timestamp.from(t0.plusSeconds(minute * 60 + 2)));
            if (error == null && !late) good.add(row);
            batches.get(r.nextInt(4)).add(row);
        }
        List<Row> open = List.of();
        for (List<Row> batch : batches) open = OpenSessions.combine(open, pieces(batch, r), GAP);

        List<String> combined = sorted(OpenSessions.rows(TestSpark.session().createDataFrame(open, OpenSessions.SCHEMA)));
        assertThat(combined).hasSizeGreaterThan(10);
        // bad and late rows are left out
        assertThat(combined).isEqualTo(sorted(Sessions.sessionize(events(good), GAP, Duration.ofMinutes(10))));
    }

    @Test
    void aSessionClosesOnlyWhenItsLastEventPlusTheGapIsBeforeTheWatermark() {
        Instant end = Instant.parse("2024-06-01T10:00:00Z");
        Row partial = OpenSessions.piece("u", Timestamp.from(end), "default", "B", "O", "D");
        long atGap = end.plus(GAP).toEpochMilli();
        assertThat(OpenSessions.isClosedBefore(partial, atGap, GAP)).isFalse();
        assertThat(OpenSessions.isClosedBefore(partial, atGap + 1, GAP)).isTrue();
        // the processor's timer is set at the first watermark that closes it
        assertThat(SessionProcessor.closesAtMs(partial, GAP)).isEqualTo(atGap + 1);
        // microseconds: an event 1 µs before or after the millisecond closes at the same millisecond watermark
        for (long d : new long[] {-1, 1, 999}) {
            Row micro = OpenSessions.piece("u", OpenSessions.timestamp(OpenSessions.micros(Timestamp.from(end)) + d),
                    "default", "B", "O", "D");
            long closesAt = SessionProcessor.closesAtMs(micro, GAP);
            assertThat(closesAt).isEqualTo(d < 0 ? atGap : atGap + 1);
            assertThat(OpenSessions.isClosedBefore(micro, closesAt - 1, GAP)).isFalse();
            assertThat(OpenSessions.isClosedBefore(micro, closesAt, GAP)).isTrue();
        }
    }

    @Test
    void aGapOfExactlyTheGapContinuesASessionAndOneMicrosecondMoreSplitsIt() {
        Timestamp t = Timestamp.from(Instant.parse("2024-06-01T10:00:00Z"));
        long gap = GAP.toNanos() / 1000;
        Row first = OpenSessions.piece("u", t, "default", "B", "O", "D");
        Row atGap = OpenSessions.piece("u", OpenSessions.timestamp(OpenSessions.micros(t) + gap), "purchase_sword", null, "O", "D");
        Row past = OpenSessions.piece("u", OpenSessions.timestamp(OpenSessions.micros(t) + gap + 1), "default", "B", "O", "D");
        assertThat(OpenSessions.combine(List.of(first), List.of(atGap), GAP)).hasSize(1)
                .first().satisfies(s -> assertThat(s.getLong(4)).isEqualTo(1));
        assertThat(OpenSessions.combine(List.of(first), List.of(past), GAP)).hasSize(2);
        // out of order: the later event first, the earlier one in a later batch
        assertThat(OpenSessions.combine(List.of(atGap), List.of(first), GAP)).hasSize(1)
                .first().satisfies(s -> assertThat(s.getStruct(6).getString(1)).isEqualTo("B"));
    }
}
