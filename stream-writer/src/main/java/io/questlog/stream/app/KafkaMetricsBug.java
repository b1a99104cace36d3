package io.questlog.stream.app;

import java.util.Arrays;
import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * Spark 4.1.1's Kafka source throws a NullPointerException from {@code KafkaMicroBatchStream.metrics}
 * when it reports progress for a batch replayed from the checkpoint after a restart (it never asked
 * Kafka for the latest offsets in that run): SPARK-55271 / SPARK-57438, fixed upstream by treating the
 * missing offsets as unknown. The batch itself has run and been committed by then.
 */
final class KafkaMetricsBug {
    private KafkaMetricsBug() {
    }

    static boolean matches(Throwable e) {
        return ExceptionUtils.getThrowableList(e).stream()
                .filter(t -> t instanceof NullPointerException)
                .flatMap(t -> Arrays.stream(t.getStackTrace()))
                .anyMatch(f -> f.getClassName().startsWith("org.apache.spark.sql.kafka010.KafkaMicroBatchStream")
                        && f.getMethodName().equals("metrics"));
    }
}
