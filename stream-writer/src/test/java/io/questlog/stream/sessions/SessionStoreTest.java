package io.questlog.stream.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
    static Row open(String user) {
        Timestamp t = Timestamp.from(Instant.parse("2024-06-01T12:00:00Z"));
        return SessionPieces.piece(user, t, "default", "Chrome", "Linux", "Other");
    }

    @Test
    void aReplayOfABatchFindsTheSnapshotItStartedFromHoweverManyEmptyBatchesCameBetween(@TempDir Path dir) {
        SessionStore store = new SessionStore(dir.toUri().toString(), new Configuration());
        store.save(0, List.of(open("alice")), 100);
        // batches 1-5 had no good events and saved nothing; batch 6 starts from batch 0's snapshot
        assertThat(store.before(6).open()).extracting(r -> r.getString(0)).containsExactly("alice");
        store.save(6, List.of(open("bob")), 200);
        SessionStore.Snapshot replayed = store.before(6); // batch 6 failed after saving and is replayed
        assertThat(replayed.open()).extracting(r -> r.getString(0)).containsExactly("alice");
        assertThat(replayed.maxEventTsMs()).hasValue(100);

        store.save(7, List.of(open("carol")), 300); // batch 7 started from 6: 0 is no longer needed
        assertThat(dir.toFile().list((d, n) -> n.matches("\\d{12}"))).containsExactlyInAnyOrder("000000000006", "000000000007");
    }
}
