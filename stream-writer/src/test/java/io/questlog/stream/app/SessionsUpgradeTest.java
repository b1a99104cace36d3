package io.questlog.stream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The earlier version's checkpoint layout, written as it wrote it, and what the sessions query takes from it. */
class SessionsUpgradeTest {
    private static final String ALICE = "[\"alice\",1717236000000000,1717237200000000,3,1,0,1717236000000000,\"Chrome\",\"Linux\",null]";

    @Test
    void carriesTheNewestOpenSessionsFromWhereTheTablesQueryStoppedOnceAndForAll(@TempDir Path dir) throws Exception {
        Path tables = dir.resolve("tables");
        Path sessions = dir.resolve("sessions-state");
        for (int b = 0; b <= 3; b++) offsets(tables, b, 10 * b, 20 * b);
        commits(tables, 2);
        store(tables, 0, "[\"old\",1,1,0,0,0,1,null,null,null]");
        store(tables, 1, ALICE, "[\"bob\",1717236000000000,1717236000000000,0,1,0,1,\"Safari\",\"Mac OS X\",\"Mac\"]");

        // version 1 is the newest; batch 2 was committed with no on-time event, so reading starts after batch 2
        SessionsUpgrade.Carried c = find(tables, sessions).orElseThrow();
        assertThat(c.afterBatch()).isEqualTo(2);
        assertThat(c.startAt()).containsExactly(Map.entry(0, 20L), Map.entry(1, 40L));
        assertThat(c.startingOffsets("events")).isEqualTo("{\"events\":{\"0\":20,\"1\":40}}");
        assertThat(c.open()).extracting(Row::toString).containsExactly(
                "[alice,2024-06-01 10:00:00.0,2024-06-01 10:20:00.0,3,1,0,[2024-06-01 10:00:00.0,Chrome,Linux,null]]",
                "[bob,2024-06-01 10:00:00.0,2024-06-01 10:00:00.0,0,1,0,[1970-01-01 00:00:00.000001,Safari,Mac OS X,Mac]]");
        assertThat(tables.resolve("questlog-sessions")).doesNotExist();
        assertThat(tables.resolve("questlog-sessions.carried")).isDirectory();

        // the new tables query goes on meanwhile; a restart before the sessions query's first commit carries the same
        offsets(tables, 4, 40, 80);
        commits(tables, 4);
        SessionsUpgrade.Carried again = find(tables, sessions).orElseThrow();
        assertThat(again.afterBatch()).isEqualTo(2);
        assertThat(again.startAt()).isEqualTo(c.startAt());
        assertThat(again.open()).extracting(Row::toString).isEqualTo(c.open().stream().map(Row::toString).toList());

        // once the sessions query committed a batch, its own checkpoint decides; a reset checkpoint carries nothing
        commits(sessions, 0);
        assertThat(find(tables, sessions)).isEmpty();
        deleteTree(sessions);
        assertThat(find(tables, sessions)).isEmpty();
    }

    @Test
    void aVersionSavedByABatchNotCommittedEndsAtThatBatch(@TempDir Path dir) throws Exception {
        Path tables = dir.resolve("tables");
        for (int b = 0; b <= 3; b++) offsets(tables, b, 10 * b, 20 * b);
        commits(tables, 2);
        store(tables, 3, ALICE);
        SessionsUpgrade.Carried c = find(tables, dir.resolve("sessions-state")).orElseThrow();
        assertThat(c.afterBatch()).isEqualTo(3);
        assertThat(c.startAt()).containsExactly(Map.entry(0, 30L), Map.entry(1, 60L));
        assertThat(c.open()).hasSize(1);
    }

    @Test
    void nothingToCarryWithoutTheEarlierStore(@TempDir Path dir) throws Exception {
        offsets(dir.resolve("tables"), 0, 5, 5);
        assertThat(SessionsUpgrade.find(new Configuration(), dir.resolve("tables").toString(),
                dir.resolve("sessions-state").toString(), "events")).isEmpty();
    }

    private static java.util.Optional<SessionsUpgrade.Carried> find(Path tables, Path sessions) throws Exception {
        return SessionsUpgrade.find(new Configuration(), tables.toString(), sessions.toString(), "events");
    }

    private static void commits(Path checkpoint, int upTo) throws Exception {
        Path dir = Files.createDirectories(checkpoint.resolve("commits"));
        for (int b = 0; b <= upTo; b++) Files.writeString(dir.resolve(Integer.toString(b)), "v1\n{}\n");
    }

    private static void deleteTree(Path p) throws Exception {
        try (var s = Files.walk(p)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }

    private static void offsets(Path checkpoint, int batch, long p0, long p1) throws Exception {
        Path f = Files.createDirectories(checkpoint.resolve("offsets")).resolve(Integer.toString(batch));
        Files.writeString(f, "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1,\"conf\":{}}\n{\"events\":{\"1\":" + p1 + ",\"0\":" + p0 + "}}\n");
    }

    private static void store(Path checkpoint, int batch, String... lines) throws Exception {
        Path v = Files.createDirectories(checkpoint.resolve(SessionsUpgrade.EARLIER_STORE).resolve(String.format("%012d", batch)));
        Files.writeString(v.resolve("open.jsonl"), String.join("\n", lines) + "\n");
        Files.writeString(v.resolve("max_event_ts"), "1717237200000");
    }
}
