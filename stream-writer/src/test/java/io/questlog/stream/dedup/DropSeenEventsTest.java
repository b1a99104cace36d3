package io.questlog.stream.dedup;

import static io.questlog.stream.TestSpark.envelope;
import static io.questlog.stream.TestSpark.kafkaRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.parse.Parse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import io.questlog.stream.TestSpark;
import org.apache.spark.sql.Row;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DropSeenEventsTest {
    private static final Instant K = Instant.parse("2024-06-01T12:00:00Z");
    private static final long TS = K.toEpochMilli();

    private static Rec rec(String id, int partition, long offset, Instant kafkaTs) {
        return rec(id, "u", partition, offset, kafkaTs);
    }

    private static Rec rec(String id, String user, int partition, long offset, Instant kafkaTs) {
        return new Rec(envelope(id, "default", user, TS, "Chrome"), partition, offset, kafkaTs);
    }

    /** Kafka offsets of the rows kept; one Spark partition per Kafka partition, as the Kafka source reads them. */
    private static List<Long> kept(DropSeenEvents dedup, long batchId, Rec... recs) {
        return kept(dedup, batchId, TestSpark.session().sparkContext().longAccumulator(), recs);
    }

    private static List<Long> kept(DropSeenEvents dedup, long batchId, LongAccumulator dropped, Rec... recs) {
        var rows = Parse.classify(kafkaRows(List.of(recs)).repartition(org.apache.spark.sql.functions.col("partition")));
        return dedup.apply(batchId, rows, dropped).select("kafka_offset").collectAsList().stream()
                .map(r -> r.getLong(0)).sorted().toList();
    }

    @Test
    void twoUsersWithTheSameEventIdAreBothKeptAndEveryDropIsCounted(@TempDir Path dir) {
        DropSeenEvents dedup = new DropSeenEvents(dir.toUri().toString(), Duration.ofMinutes(5));
        LongAccumulator dropped = TestSpark.session().sparkContext().longAccumulator();
        // eight users number their first event 1; one of them sends it twice (a retry)
        Rec[] batch = new Rec[9];
        for (int u = 0; u < 8; u++) batch[u] = rec("1", "user" + u, 0, u, K);
        batch[8] = rec("1", "user3", 0, 8, K.plusSeconds(2));
        assertThat(kept(dedup, 0, dropped, batch)).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(dropped.value()).isEqualTo(1);
        // a user whose id is another's id plus the event id's first characters does not collide either
        assertThat(kept(dedup, 1, dropped, rec("23", "user", 0, 9, K.plusSeconds(3)), rec("3", "user2", 0, 10, K.plusSeconds(3))))
                .containsExactly(9L, 10L);
        assertThat(DropSeenEvents.key(UTF8String.fromString("user"), UTF8String.fromString("23")))
                .isNotEqualTo(DropSeenEvents.key(UTF8String.fromString("user2"), UTF8String.fromString("3")));
    }

    @Test
    void aReplayAfterPruningStillDropsARepeatThatCameBeforeTheBatchsKeptEvents(@TempDir Path dir) {
        DropSeenEvents dedup = new DropSeenEvents(dir.toUri().toString(), Duration.ofMinutes(5));
        kept(dedup, 0, rec("a", 0, 1, K));
        // batch 1: a repeat of a (Kafka time K+4 min, within the horizon) and a new event six minutes after a:
        // the log may forget batch 0 only once no row of batch 1 can need it, and the repeat still does
        Rec[] batch1 = {rec("a", 0, 2, K.plusSeconds(240)), rec("b", 0, 3, K.plusSeconds(360))};
        assertThat(kept(dedup, 1, batch1)).containsExactly(3L);
        SeenEventIds.forgetCached();
        assertThat(kept(dedup, 1, batch1)).containsExactly(3L); // the replay (a new process) drops the repeat too
    }

    @Test
    void aRepeatedEventIdIsDroppedInItsBatchAndInLaterBatchesWithinTheHorizon(@TempDir Path dir) {
        DropSeenEvents dedup = new DropSeenEvents(dir.toUri().toString(), Duration.ofMinutes(5));
        assertThat(kept(dedup, 0, rec("a", 0, 1, K), rec("a", 0, 2, K.plusSeconds(1)), rec("b", 1, 1, K),
                new Rec("not json", 0, 3, K), new Rec("not json", 0, 4, K))).containsExactly(1L, 1L, 3L, 4L);
        // 4 minutes later: still within the horizon of a; 6 minutes after b: past it
        assertThat(kept(dedup, 1, rec("a", 0, 5, K.plusSeconds(240)), rec("c", 0, 6, K.plusSeconds(240))))
                .containsExactly(6L);
        assertThat(kept(dedup, 2, rec("b", 1, 2, K.plusSeconds(360)))).containsExactly(2L);
    }

    @Test
    void aReplayedBatchDropsWhatItsFirstAttemptDroppedAlsoAfterARestart(@TempDir Path dir) {
        DropSeenEvents dedup = new DropSeenEvents(dir.toUri().toString(), Duration.ofMinutes(5));
        kept(dedup, 0, rec("a", 0, 1, K));
        Rec[] batch1 = {rec("a", 0, 2, K.plusSeconds(10)), rec("b", 0, 3, K.plusSeconds(10))};
        assertThat(kept(dedup, 1, batch1)).containsExactly(3L);
        assertThat(kept(dedup, 1, batch1)).containsExactly(3L); // b logged by the first attempt is not a repeat
        SeenEventIds.forgetCached(); // a new process reads the log from the files
        assertThat(kept(dedup, 1, batch1)).containsExactly(3L);
        assertThat(kept(dedup, 2, rec("b", 0, 4, K.plusSeconds(20)))).isEmpty();
    }

    @Test
    void filesOfBatchesPastTheHorizonOfAWholeLaterBatchAreDeleted(@TempDir Path dir) throws Exception {
        DropSeenEvents dedup = new DropSeenEvents(dir.toUri().toString(), Duration.ofMinutes(5));
        kept(dedup, 0, rec("a", 0, 1, K));
        kept(dedup, 1, rec("b", 0, 2, K.plusSeconds(200)));
        kept(dedup, 2, rec("c", 0, 3, K.plusSeconds(301)));
        try (var files = Files.list(dir.resolve("p=0"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith("."))
                    .map(n -> n.substring(0, n.indexOf('-'))).sorted().toList())
                    .containsExactly("000000000001", "000000000002"); // batch 0's file: past the horizon of c
        }
        SeenEventIds.forgetCached();
        assertThat(kept(dedup, 3, rec("a", 0, 4, K.plusSeconds(302)), rec("b", 0, 5, K.plusSeconds(302))))
                .containsExactly(4L);
    }
}
