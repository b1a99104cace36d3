package io.questlog.stream.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DataLossTest {
    @Test
    void readsTheTopicsOffsetsFromSparksOffsetLog() throws Exception {
        String file = "v1\n{\"batchWatermarkMs\":0,\"batchTimestampMs\":1,\"conf\":{}}\n{\"events\":{\"1\":17,\"0\":42}}\n";
        assertThat(DataLoss.offsetsIn(file, "events")).containsExactly(Map.entry(0, 42L), Map.entry(1, 17L));
        assertThat(DataLoss.offsetsIn(file, "other")).isEmpty();
    }

    @Test
    void namesEveryPartitionWhoseResumeOffsetRetentionDeleted() {
        assertThat(DataLoss.gaps(Map.of(0, 42L, 1, 17L, 2, 5L), Map.of(0, 100L, 1, 17L, 2, 0L)))
                .containsExactly("partition 0: the checkpoint resumes at offset 42, Kafka's earliest is 100 (58 records gone)");
        assertThat(DataLoss.gaps(Map.of(0, 42L), Map.of(0, 42L))).isEmpty();
    }

    @Test
    void recognisesSparksDataLossFailure() {
        assertThat(DataLoss.isDataLoss(new RuntimeException("wrapped", new IllegalStateException(
                "Some data may have been lost because they are not available in Kafka any more")))).isTrue();
        assertThat(DataLoss.isDataLoss(new RuntimeException("disk full"))).isFalse();
    }

    @Test
    void recognisesSparksKafkaMetricsBugOnlyByItsFrame() {
        NullPointerException npe = new NullPointerException("Option.get() is null");
        npe.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("org.apache.spark.sql.kafka010.KafkaMicroBatchStream$", "metrics", "KafkaMicroBatchStream.scala", 520)});
        assertThat(KafkaMetricsBug.matches(new RuntimeException("query failed", npe))).isTrue();
        assertThat(KafkaMetricsBug.matches(new NullPointerException("elsewhere"))).isFalse();
    }
}
