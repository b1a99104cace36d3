package io.questlog.stream.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.TestSpark;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class SessionsTest {
    private static final StructType EVENTS = new StructType()
            .add("event_id", DataTypes.StringType)
            .add("user_id", DataTypes.StringType)
            .add("event_type", DataTypes.StringType)
            .add("event_ts", DataTypes.TimestampType)
            .add("browser_family", DataTypes.StringType)
            .add("os_family", DataTypes.StringType)
            .add("device_family", DataTypes.StringType);
    private static final Instant T0 = Instant.parse("2024-06-01T10:00:00Z");

    private static int ids;

    private static Row ev(String user, String type, Instant ts, String browser) {
        return evWithId("e" + ids++, user, type, ts, browser);
    }

    private static Row evWithId(String id, String user, String type, Instant ts, String browser) {
        return RowFactory.create(id, user, type, Timestamp.from(ts), browser, browser + "-os", browser + "-device");
    }

    private static List<String> sessionize(List<Row> rows) {
        Dataset<Row> events = TestSpark.session().createDataFrame(rows, EVENTS);
        Dataset<Row> sessions = Sessions.sessionize(events, Duration.ofMinutes(30), Duration.ofMinutes(10));
        List<String> out = new ArrayList<>();
        for (Row r : sessions.orderBy("user_id", "session_start").collectAsList()) {
            out.add(r.getString(0) + " " + r.getTimestamp(1).toInstant() + ".." + r.getTimestamp(2).toInstant()
                    + " dur=" + r.getLong(3) + " n=" + r.getLong(4) + " buy=" + r.getLong(5) + " guild=" + r.getLong(6)
                    + " " + r.getString(7) + "/" + r.getString(8) + "/" + r.getString(9) + " dt=" + r.getString(10));
        }
        return out;
    }

    @Test
    void sessionsHaveTheContractColumns() {
        Dataset<Row> s = Sessions.sessionize(TestSpark.session().createDataFrame(List.of(), EVENTS),
                Duration.ofMinutes(30), Duration.ofMinutes(10));
        assertThat(Arrays.stream(s.schema().fields()).map(f -> f.name() + ":" + f.dataType().simpleString())
                .collect(Collectors.joining(","))).isEqualTo(
                "user_id:string,session_start:timestamp,session_end:timestamp,duration_s:bigint,event_count:bigint,"
                        + "purchase_count:bigint,guild_join_count:bigint,browser_family:string,os_family:string,"
                        + "device_family:string,dt:string");
    }

    @Test
    void aGapOfMoreThanThirtyMinutesStartsANewSession() {
        List<String> sessions = sessionize(List.of(
                // given out of order: the first event's families must still win
                ev("alice", "join_guild", T0.plusSeconds(29 * 60), "Safari"),
                ev("alice", "default", T0, "Chrome"),
                ev("alice", "purchase_sword", T0.plusSeconds(10 * 60), "Firefox"),
                ev("alice", "purchase_sword", T0.plusSeconds(20 * 60 + 7), "Firefox"),
                // 29 + 31 minutes: more than the gap after the last event -> new session
                ev("alice", "purchase_sword", T0.plusSeconds(60 * 60), "Edge"),
                ev("bob", "default", T0.plusSeconds(5), "Opera"),
                // a resent event counts once
                evWithId("bob-1", "bob", "purchase_sword", T0.plusSeconds(65), "Opera"),
                evWithId("bob-1", "bob", "purchase_sword", T0.plusSeconds(65), "Opera")));
        assertThat(sessions).containsExactly(
                "alice 2024-06-01T10:00:00Z..2024-06-01T10:29:00Z dur=1740 n=4 buy=2 guild=1 Chrome/Chrome-os/Chrome-device dt=2024-06-01",
                "alice 2024-06-01T11:00:00Z..2024-06-01T11:00:00Z dur=0 n=1 buy=1 guild=0 Edge/Edge-os/Edge-device dt=2024-06-01",
                "bob 2024-06-01T10:00:05Z..2024-06-01T10:01:05Z dur=60 n=2 buy=1 guild=0 Opera/Opera-os/Opera-device dt=2024-06-01");
    }

    @Test
    void aGapOfExactlyThirtyMinutesKeepsTheSessionOneMillisecondMoreEndsIt() {
        List<String> sessions = sessionize(List.of(
                ev("carol", "default", T0, "Chrome"),
                ev("carol", "default", T0.plusSeconds(30 * 60), "Chrome"),
                ev("carol", "default", T0.plusSeconds(60 * 60).plusMillis(1), "Chrome")));
        assertThat(sessions).extracting(s -> s.substring(0, s.indexOf(" buy"))).containsExactly(
                "carol 2024-06-01T10:00:00Z..2024-06-01T10:30:00Z dur=1800 n=2",
                "carol 2024-06-01T11:00:00.001Z..2024-06-01T11:00:00.001Z dur=0 n=1");
    }

    @Test
    void aSessionAcrossMidnightBelongsToTheUtcDateOfItsStart() {
        Instant late = Instant.parse("2024-06-01T23:50:00.250Z");
        List<String> sessions = sessionize(List.of(
                ev("dave", "default", late, "Chrome"),
                ev("dave", "join_guild", late.plusSeconds(20 * 60), "Chrome")));
        assertThat(sessions).containsExactly(
                "dave 2024-06-01T23:50:00.250Z..2024-06-02T00:10:00.250Z dur=1200 n=2 buy=0 guild=1 Chrome/Chrome-os/Chrome-device dt=2024-06-01");
    }
}
