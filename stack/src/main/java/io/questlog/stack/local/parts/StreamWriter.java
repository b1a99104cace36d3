package io.questlog.stack.local.parts;

import io.questlog.stack.local.Build;
import io.questlog.stack.local.Logs;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.SparkSubmit;
import io.questlog.stack.local.Supervisor;
import io.questlog.stack.local.Tables;
import io.questlog.stack.local.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Questlog's Spark job (stream-writer/target/stream-writer.jar) through spark-submit. */
public final class StreamWriter {
    /** The line the stream-writer logs once its queries run. */
    static final String STARTED = "stream-writer started";

    private StreamWriter() {}

    public static Part part() {
        return new Part(Supervisor.STREAM_WRITER, List.of("kafka", "datanode", "trino", "hiveserver2"), null, Duration.ofSeconds(180),
                c -> { // the job reads the topic and publishes into the tables: both exist before it starts
                    Topics.ensure(c);
                    Tables.create(c);
                },
                c -> {
                    // the parallel collector: 500k-event batches in 16-17 s instead of G1's 23-25 s (bench/stream)
                    ProcessBuilder pb = SparkSubmit.command(c, List.of("-Xmx2g", "-XX:+UseParallelGC"), List.of("--master", "local[2]",
                            "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.session.timeZone=UTC",
                            Build.jar(c, "stream-writer").toString()));
                    Map<String, String> e = pb.environment();
                    e.put("QUESTLOG_KAFKA_BOOTSTRAP", c.kafkaBootstrap());
                    e.put("QUESTLOG_WAREHOUSE", c.warehouse());
                    e.put("QUESTLOG_CHECKPOINTS", c.checkpoints());
                    e.put("QUESTLOG_TRINO_JDBC", c.trinoJdbc());
                    e.put("QUESTLOG_TRIGGER", c.trigger());
                    e.put("QUESTLOG_PROGRESS_FILE", c.progressFile("stream-writer").toString());
                    return pb;
                },
                // No port: healthy once the job logged that its queries run.
                c -> Logs.contains(c.log("stream-writer"), STARTED));
    }
}
