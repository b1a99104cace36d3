package io.questlog.stream.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.TestSpark;
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
import org.junit.jupiter.api.Test;

class OpenSessionsTest {
    static final Duration GAP = Duration.ofMinutes(30);
    static final StructType EVENTS = new StructType()
            .add("event_id", DataTypes.StringType).add("user_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType).add("event_ts", DataTypes.TimestampType)
            .add("browser_family", DataTypes.StringType).add("os_family", DataTypes.StringType)
            .add("device_family", DataTypes.StringType);

    static Dataset<Row> events(List<Row> rows) {
        return TestSpark.session().createDataFrame(rows, EVENTS);
    }

    static List<String> sorted(Dataset<Row> sessions) {
        return sessions.drop("dt").orderBy("user_id", "session_start").collectAsList().stream().map(Row::toString).toList();
    }

    @Test
    void mergingBatchByBatchGivesTheSessionsOfAllEventsAtOnce() {
        Random r = new Random(42);
        Instant t0 = Instant.parse("2024-06-01T10:00:00Z");
        String[] types = {"default", "purchase_sword", "join_guild"};
        List<List<Row>> batches = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Row> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            // gaps of 0-45 minutes, some exactly 30: sessions split and join across batch boundaries
            long minute = r.nextInt(8) == 0 ? 30 * (long) r.nextInt(8) : r.nextInt(400);
            Row row = RowFactory.create("e" + i, "u" + r.nextInt(6), types[r.nextInt(3)],
                    Timestamp.from(t0.plusSeconds(minute * 60)), "B" + r.nextInt(3), "O", "D");
            all.add(row);
            batches.get(r.nextInt(3)).add(row);
        }
        Dataset<Row> open = TestSpark.session().createDataFrame(List.of(), OpenSessions.SCHEMA);
        for (List<Row> batch : batches) open = OpenSessions.merge(open, events(batch), GAP).localCheckpoint();

        List<String> incremental = sorted(OpenSessions.rows(open));
        assertThat(incremental).hasSizeGreaterThan(10);
        assertThat(incremental).isEqualTo(sorted(Sessions.sessionize(events(all), GAP, Duration.ofMinutes(10))));
    }

    @Test
    void combiningEachBatchsSessionsOnTheDriverGivesTheSessionsOfAllEventsAtOnce() {
        Random r = new Random(7);
        Instant t0 = Instant.parse("2024-06-01T10:00:00Z");
        String[] types = {"default", "purchase_sword", "join_guild"};
        List<List<Row>> batches = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Row> all = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            long minute = r.nextInt(8) == 0 ? 30 * (long) r.nextInt(40) : r.nextInt(1200);
            Row row = RowFactory.create("e" + i, "u" + r.nextInt(6), types[r.nextInt(3)],
                    Timestamp.from(t0.plusSeconds(minute * 60)), r.nextInt(5) == 0 ? null : "B" + r.nextInt(3), "O", "D");
            all.add(row);
            batches.get(r.nextInt(4)).add(row);
        }
        List<Row> open = List.of();
        for (List<Row> batch : batches) {
            open = OpenSessions.combine(open, OpenSessions.partials(events(batch), GAP).collectAsList(), GAP);
        }
        List<String> combined = sorted(OpenSessions.rows(TestSpark.session().createDataFrame(open, OpenSessions.SCHEMA)));
        assertThat(combined).hasSizeGreaterThan(10);
        assertThat(combined).isEqualTo(sorted(Sessions.sessionize(events(all), GAP, Duration.ofMinutes(10))));
    }

    @Test
    void aSessionClosesOnlyWhenItsLastEventPlusTheGapIsBeforeTheWatermark() {
        Instant end = Instant.parse("2024-06-01T10:00:00Z");
        Dataset<Row> merged = OpenSessions.partials(
                events(List.of(RowFactory.create("e", "u", "default", Timestamp.from(end), "B", "O", "D"))), GAP);
        long atGap = end.plus(GAP).toEpochMilli();
        assertThat(merged.filter(OpenSessions.closedBefore(atGap, GAP)).count()).isZero();
        assertThat(merged.filter(OpenSessions.closedBefore(atGap + 1, GAP)).count()).isOne();
    }
}
