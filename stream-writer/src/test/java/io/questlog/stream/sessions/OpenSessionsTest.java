package io.questlog.stream.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.spark.InternalRowPass;
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
import org.apache.spark.util.CollectionAccumulator;
import org.junit.jupiter.api.Test;

class OpenSessionsTest {
    static final Duration GAP = Duration.ofMinutes(30);
    /** The columns {@link SessionPieces} reads, as the write job has them (the other columns do not matter). */
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

    /** A batch's partials as the write job gathers them: its rows spread over {@code tasks} Spark partitions at random. */
    static List<Row> gathered(List<Row> batch, int tasks) {
        Dataset<Row> rows = events(batch).repartition(tasks);
        CollectionAccumulator<Row> pieces = TestSpark.session().sparkContext().collectionAccumulator();
        CollectionAccumulator<Long> newest = TestSpark.session().sparkContext().collectionAccumulator();
        InternalRowPass.over(rows, SessionPieces.gather(rows.schema(), GAP, pieces, newest)).count();
        return pieces.value();
    }

    @Test
    void theWatermarksClockIsTheEventTimeButNeverLaterThanItsReceipt() {
        long now = 1_717_236_000_000_000L; // microseconds
        long fortyMinutes = 40 * 60 * 1_000_000L;
        assertThat(SessionPieces.trustedTime(now + fortyMinutes, false, now, now + 5)).isEqualTo(now); // fast clock
        assertThat(SessionPieces.trustedTime(now - fortyMinutes, false, now, now)).isEqualTo(now - fortyMinutes); // backfill
        assertThat(SessionPieces.trustedTime(now + fortyMinutes, true, 0, now + 5)).isEqualTo(now + 5); // Kafka's time then
    }

    @Test
    void gatheringEachBatchInItsTasksAndCombiningOnTheDriverGivesTheSessionsOfAllEventsAtOnce() {
        Random r = new Random(7);
        Instant t0 = Instant.parse("2024-06-01T10:00:00Z");
        String[] types = {"default", "purchase_sword", "join_guild"};
        List<List<Row>> batches = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Row> good = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            // a user's events about 24 minutes apart, some exactly 30: sessions split and join across batch and task
            // boundaries;
            // a user has more than MERGE_AT events in a task, so a task merges its pieces on the way
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
        for (List<Row> batch : batches) open = OpenSessions.combine(open, gathered(batch, 3), GAP);

        List<String> combined = sorted(OpenSessions.rows(TestSpark.session().createDataFrame(open, OpenSessions.SCHEMA)));
        assertThat(combined).hasSizeGreaterThan(10);
        // bad and late rows are left out
        assertThat(combined).isEqualTo(sorted(Sessions.sessionize(events(good), GAP, Duration.ofMinutes(10))));
    }

    @Test
    void aSessionClosesOnlyWhenItsLastEventPlusTheGapIsBeforeTheWatermark() {
        Instant end = Instant.parse("2024-06-01T10:00:00Z");
        Row partial = SessionPieces.piece("u", Timestamp.from(end), "default", "B", "O", "D");
        long atGap = end.plus(GAP).toEpochMilli();
        assertThat(OpenSessions.isClosedBefore(partial, atGap, GAP)).isFalse();
        assertThat(OpenSessions.isClosedBefore(partial, atGap + 1, GAP)).isTrue();
    }
}
