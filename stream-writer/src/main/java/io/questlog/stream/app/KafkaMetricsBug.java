package io.questlog.stream.app;

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
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NullPointerException) {
                for (StackTraceElement f : t.getStackTrace()) {
                    if (f.getClassName().startsWith("org.apache.spark.sql.kafka010.KafkaMicroBatchStream")
                            && f.getMethodName().equals("metrics")) {
                        return true;
                    }
                }
            }
            if (t.getCause() == t) break;
        }
        return false;
    }
}
