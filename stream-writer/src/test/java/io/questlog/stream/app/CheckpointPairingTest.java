package io.questlog.stream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointPairingTest {
    final Configuration conf = new Configuration();

    @Test
    void aDeletedOrSwappedCheckpointIsRefusedOnceTheWarehouseRemembersItsOwn(@TempDir Path dir) throws Exception {
        String wh = dir.resolve("wh").toUri().toString();
        Path ckpt = dir.resolve("ckpt");
        Files.createDirectories(ckpt);
        Files.writeString(ckpt.resolve("metadata"), "{\"id\":\"11111111-aaaa\"}\n");
        assertThat(CheckpointPairing.mismatch(conf, wh, ckpt.toUri().toString())).isEmpty(); // a first run
        CheckpointPairing.remember(conf, wh, "11111111-aaaa");
        assertThat(CheckpointPairing.mismatch(conf, wh, ckpt.toUri().toString())).isEmpty(); // a restart

        Files.delete(ckpt.resolve("metadata")); // the checkpoint deleted, the warehouse kept
        assertThat(CheckpointPairing.mismatch(conf, wh, ckpt.toUri().toString())).hasValueSatisfying(m ->
                assertThat(m).contains("11111111-aaaa").contains("is gone").contains("Restore"));
        Files.writeString(ckpt.resolve("metadata"), "{\"id\":\"22222222-bbbb\"}\n"); // another run's checkpoint
        assertThat(CheckpointPairing.mismatch(conf, wh, ckpt.toUri().toString())).hasValueSatisfying(m ->
                assertThat(m).contains("has query id 22222222-bbbb"));
    }
}
