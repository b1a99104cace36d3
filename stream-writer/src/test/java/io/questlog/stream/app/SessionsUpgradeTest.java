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
    void carriesTheNewestOpenSessionsAndStartsWhereTheTablesQueryStopped(@TempDir Path dir) throws Exception {
        Path tables = dir.resolve("tables");
        Path sessions = dir.resolve("sessions-state");
        for (int b = 0; b <= 3; b++) offsets(tables, b, 10 * b, 20 * b);
        for (int b = 0; b <= 2; b++) Files.createDirectories(tables.resolve("commits")).resolve(Integer.toString(b)).toFile().createNewFile();
        store(tables, 0, "[\"old\",1,1,0,0,0,1,null,null,null]");
        store(tables, 1, ALICE, "[\"bob\",1717236000000000,1717236000000000,0,1,0,1,\"Safari\",\"Mac OS X\",\"Mac\"]");

        // version 1 is the newest; batch 2 was committed with no on-time event, so reading starts after batch 2
        SessionsUpgrade.Carried c = SessionsUpgrade.find(new Configuration(), tables.toString(), sessions.toString(), "events").orElseThrow();
        assertThat(c.afterBatch()).isEqualTo(2);
        assertThat(c.startAt()).containsExactly(Map.entry(0, 20L), Map.entry(1, 40L));
        assertThat(c.startingOffsets("events")).isEqualTo("{\"events\":{\"0\":20,\"1\":40}}");
        assertThat(c.open()).extracting(Row::toString).containsExactly(
                "[alice,2024-06-01 10:00:00.0,2024-06-01 10:20:00.0,3,1,0,[2024-06-01 10:00:00.0,Chrome,Linux,null]]",
                "[bob,2024-06-01 10:00:00.0,2024-06-01 10:00:00.0,0,1,0,[1970-01-01 00:00:00.000001,Safari,Mac OS X,Mac]]");

        // batch 3 saved its sessions but was not committed: its end is where they stop
        store(tables, 3, ALICE);
        c = SessionsUpgrade.find(new Configuration(), tables.toString(), sessions.toString(), "events").orElseThrow();
        assertThat(c.afterBatch()).isEqualTo(3);
        assertThat(c.startAt()).containsExactly(Map.entry(0, 30L), Map.entry(1, 60L));
        assertThat(c.open()).hasSize(1);

        // once the sessions query committed a batch, its own checkpoint decides
        Files.createDirectories(sessions.resolve("commits")).resolve("0").toFile().createNewFile();
        assertThat(SessionsUpgrade.find(new Configuration(), tables.toString(), sessions.toString(), "events")).isEmpty();
    }

    @Test
    void nothingToCarryWithoutTheEarlierStore(@TempDir Path dir) throws Exception {
        offsets(dir.resolve("tables"), 0, 5, 5);
        assertThat(SessionsUpgrade.find(new Configuration(), dir.resolve("tables").toString(),
                dir.resolve("sessions-state").toString(), "events")).isEmpty();
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
