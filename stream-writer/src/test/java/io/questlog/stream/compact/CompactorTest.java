package io.questlog.stream.compact;

import static io.questlog.stream.TestSpark.envelope;
import static io.questlog.stream.TestSpark.kafkaRows;
import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.TestSpark;
import io.questlog.stream.TestSpark.Rec;
import io.questlog.stream.parse.Parse;
import io.questlog.stream.publish.ParquetPublisher;
import io.questlog.stream.publish.PartitionRegistrar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompactorTest {
    static final Instant K = Instant.parse("2024-06-01T12:00:05Z");
    static final long TS = Instant.parse("2024-06-01T12:00:00Z").toEpochMilli();

    static Dataset<Row> batch(int from, int n) {
        List<Rec> recs = new ArrayList<>();
        for (int i = from; i < from + n; i++) recs.add(new Rec(envelope("e" + i, "default", "u" + i % 3, TS + i, "Chrome"), 0, i, K));
        return Parse.events(Parse.classify(kafkaRows(recs))).coalesce(1); // one file per batch and dt
    }

    static List<String> ids(Path dir) {
        return TestSpark.session().read().parquet(dir.toUri().toString()).select("event_id").collectAsList().stream()
                .map(r -> r.getString(0)).sorted().toList();
    }

    static List<String> parquetFiles(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".parquet") && !n.startsWith("_")).sorted().toList();
        }
    }

    @Test
    void mergesAPartitionsFilesIntoANewFolderSwitchesTheLocationAndTheWriterFollows(@TempDir Path wh) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        ParquetPublisher publisher = new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE);
        for (int b = 0; b < 5; b++) publisher.publish("events", b, batch(b * 10, 10));
        Path canonical = wh.resolve("events/dt=2024-06-01");
        List<String> before = ids(canonical);
        assertThat(parquetFiles(canonical)).hasSize(5);

        List<String> switched = new ArrayList<>();
        Compactor compactor = new Compactor(fs, new org.apache.hadoop.fs.Path(wh.toUri()),
                (table, dt, location) -> switched.add(table + " " + dt + " " + location), Duration.ZERO, Duration.ZERO, 256L << 20);
        Compactor.Result r = compactor.compact("events", "2024-06-01");

        assertThat(r.filesBefore()).isEqualTo(5);
        assertThat(r.filesAfter()).isEqualTo(1);
        assertThat(switched).hasSize(1);
        Path gen = Path.of(java.net.URI.create(switched.get(0).split(" ")[2]));
        assertThat(gen.getParent()).isEqualTo(wh.resolve("events/_compacted/dt=2024-06-01"));
        assertThat(parquetFiles(gen)).containsExactly("compact-0000.parquet");
        assertThat(ids(gen)).isEqualTo(before).hasSize(50);
        assertThat(parquetFiles(canonical)).isEmpty(); // deleted after the read grace

        // the writer publishes the next batch where readers now look, and skips a replay of a merged batch
        publisher.publish("events", 5, batch(50, 10));
        publisher.publish("events", 3, batch(30, 10));
        assertThat(parquetFiles(gen)).containsExactly("compact-0000.parquet", "part-000000000005-0.parquet");
        assertThat(ids(gen)).hasSize(60).doesNotHaveDuplicates();
        // readers that go by the folders (./questlog sessions --batch) find the partition where it moved
        assertThat(compactor.locations().currentFolders("events")).extracting(f -> f.toUri().getPath()).containsExactly(gen.toString());

        // a second compaction moves on to a new generation and still knows batch 3 was merged
        Compactor.Result again = compactor.compact("events", "2024-06-01");
        assertThat(again.filesBefore()).isEqualTo(2);
        Path gen2 = Path.of(java.net.URI.create(switched.get(1).split(" ")[2]));
        assertThat(ids(gen2)).hasSize(60).doesNotHaveDuplicates();
        assertThat(gen).doesNotExist();
        ParquetPublisher restarted = new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE);
        restarted.publish("events", 3, batch(30, 10));
        restarted.publish("events", 5, batch(50, 10));
        assertThat(ids(gen2)).hasSize(60);
    }

    @Test
    void aCompactionPausedPastTheStaleTimeLosesNoBatchTheWriterPublishedMeanwhile(@TempDir Path wh) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        ParquetPublisher publisher = new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE);
        for (int b = 0; b < 3; b++) publisher.publish("events", b, batch(b * 10, 10));
        org.apache.hadoop.fs.Path lock = new org.apache.hadoop.fs.Path(
                wh.resolve("events/_compacted/dt=2024-06-01/" + PartitionLocations.LOCK).toUri());
        List<String> switched = new ArrayList<>();
        // the compaction stalls just before its switch for longer than the lease: the writer stops waiting
        // for the lock and publishes batch 3 into the folder the compaction is about to switch away from
        Compactor compactor = new Compactor(fs, new org.apache.hadoop.fs.Path(wh.toUri()), (table, dt, location) -> {
            fs.setTimes(lock, System.currentTimeMillis() - PartitionLocations.STALE_LOCK.toMillis() - 1000, -1);
            publisher.publish("events", 3, batch(30, 10));
            switched.add(location);
        }, Duration.ZERO, Duration.ZERO, 256L << 20);
        compactor.compact("events", "2024-06-01");
        Path gen = Path.of(java.net.URI.create(switched.get(0)));
        assertThat(ids(gen)).hasSize(40).doesNotHaveDuplicates(); // batch 3 followed the partition
        assertThat(parquetFiles(wh.resolve("events/dt=2024-06-01"))).isEmpty();
    }

    @Test
    void theWriterFollowsASwitchThatCameBetweenItsChoiceOfFolderAndItsRename(@TempDir Path wh) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        ParquetPublisher publisher = new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE);
        for (int b = 0; b < 2; b++) publisher.publish("events", b, batch(b * 10, 10));
        Compactor compactor = new Compactor(fs, new org.apache.hadoop.fs.Path(wh.toUri()), (table, dt, location) -> { },
                Duration.ZERO, Duration.ZERO, 256L << 20);
        compactor.compact("events", "2024-06-01");
        Path gen = Path.of(compactor.locations().current("events", "2024-06-01").toUri());
        // a file renamed into the old folder after the switch (the writer paused in between) ...
        Path canonical = wh.resolve("events/dt=2024-06-01");
        ParquetPublisher other = new ParquetPublisher(wh.resolve("scratch").toUri().toString(), new Configuration(), PartitionRegistrar.NONE);
        other.publish("events", 7, batch(70, 10));
        Files.move(wh.resolve("scratch/events/dt=2024-06-01/part-000000000007-0.parquet"), canonical.resolve("part-000000000007-0.parquet"));
        // ... is adopted by the next look of either side
        assertThat(compactor.locations().adoptStrays(new org.apache.hadoop.fs.Path(canonical.toUri()), java.util.Set.of(),
                new org.apache.hadoop.fs.Path(gen.toUri()))).isEqualTo(1);
        assertThat(ids(gen)).hasSize(30).doesNotHaveDuplicates();
    }

    @Test
    void aHeldLockStopsASecondCompactionAndAPartitionWithOneFileIsLeftAlone(@TempDir Path wh) throws Exception {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        ParquetPublisher publisher = new ParquetPublisher(wh.toUri().toString(), new Configuration(), PartitionRegistrar.NONE);
        publisher.publish("events", 0, batch(0, 10));
        Compactor compactor = new Compactor(fs, new org.apache.hadoop.fs.Path(wh.toUri()),
                (table, dt, location) -> { throw new AssertionError("no switch expected"); }, Duration.ZERO, Duration.ZERO, 1 << 20);
        assertThat(compactor.compact("events", "2024-06-01").filesAfter()).isEqualTo(1);
        assertThat(compactor.locations().lock("events", "2024-06-01")).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> compactor.compact("events", "2024-06-01"))
                .hasMessageContaining("holds");
    }
}
