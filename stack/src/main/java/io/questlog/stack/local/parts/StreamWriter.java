package io.questlog.stack.local.parts;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Build;
import io.questlog.stack.local.Logs;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.SparkSubmit;
import io.questlog.stack.local.Supervisor;
import io.questlog.stack.local.Tables;
import io.questlog.stack.local.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Questlog's Spark job (stream-writer/target/stream-writer.jar) through spark-submit: in local mode, or (cluster)
 * submitted unchanged to the Spark standalone Master with --deploy-mode cluster --supervise.
 */
public final class StreamWriter {
    /** The line the stream-writer logs once its queries run. */
    static final String STARTED = "stream-writer started";

    private StreamWriter() {}

    public static Part part() {
        return new Part(Supervisor.STREAM_WRITER, List.of("kafka", "datanode", "trino", "hiveserver2"), null, Duration.ofSeconds(180),
                StreamWriter::prepare,
                c -> {
                    // the parallel collector: 500k-event batches in 16-17 s instead of G1's 23-25 s (bench/stream)
                    ProcessBuilder pb = SparkSubmit.command(c, List.of("-Xmx2g", "-XX:+UseParallelGC"), List.of("--master", "local[2]",
                            "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.session.timeZone=UTC",
                            Build.jar(c, "stream-writer").toString()));
                    return env(c, pb);
                },
                // No port: healthy once the job logged that its queries run.
                c -> Logs.contains(c.log("stream-writer"), STARTED));
    }

    /**
     * The cluster's: spark-submit stays up as the part's process (spark.standalone.submit.waitAppCompletion) and
     * follows the driver, which runs under a Worker (DriverWrapper) and which the Master relaunches if it dies.
     */
    public static Part cluster() {
        return new Part(Supervisor.STREAM_WRITER, List.of("kafka", "datanode", "trino", "hiveserver2", "spark-worker"), null,
                Duration.ofSeconds(300), c -> {
                    SparkStandalone.killDrivers(c); // one from an earlier run that `down` did not reach
                    prepare(c);
                },
                c -> env(c, SparkSubmit.command(c, List.of("-Xmx192m"), submitArgs(c, Build.jar(c, "stream-writer").toString()))),
                c -> driverLogged(c, STARTED))
                // the driver runs under a Worker and --supervise restarts it: end it through the Master first
                .withBeforeStop(SparkStandalone::killDrivers);
    }

    /** The spark-submit arguments for the cluster: the same jar; only the master and the resources differ from local mode. */
    static List<String> submitArgs(StackConfig c, String jar) {
        List<String> a = new ArrayList<>(List.of("--master", c.sparkMaster(), "--deploy-mode", "cluster", "--supervise",
                "--conf", "spark.standalone.submit.waitAppCompletion=true",
                "--driver-memory", "1536m", "--executor-memory", "1g", "--executor-cores", "1",
                "--total-executor-cores", String.valueOf(StackConfig.SPARK_WORKERS),
                "--conf", "spark.driver.extraJavaOptions=-Duser.timezone=UTC -XX:+UseParallelGC",
                "--conf", "spark.executor.extraJavaOptions=-Duser.timezone=UTC",
                "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.session.timeZone=UTC",
                // the job writes the tables: the cluster's HDFS client settings (conf/hdfs) are its too
                "--conf", "spark.hadoop.dfs.replication=" + c.replication(),
                "--conf", "spark.hadoop.dfs.client.block.write.replace-datanode-on-failure.best-effort=true"));
        a.add(jar);
        return a;
    }

    private static void prepare(StackConfig c) throws InterruptedException, java.io.IOException {
        // the job reads the topic and publishes into the tables: both exist before it starts
        Topics.ensure(c);
        Tables.create(c);
    }

    /** The job's settings: environment variables, which reach the driver in standalone cluster mode too (the submitter's). */
    static ProcessBuilder env(StackConfig c, ProcessBuilder pb) {
        Map<String, String> e = pb.environment();
        e.put("QUESTLOG_KAFKA_BOOTSTRAP", c.kafkaBootstrap());
        e.put("QUESTLOG_WAREHOUSE", c.warehouse());
        e.put("QUESTLOG_CHECKPOINTS", c.checkpoints());
        e.put("QUESTLOG_TRINO_JDBC", c.trinoJdbc());
        e.put("QUESTLOG_TRIGGER", c.trigger());
        e.put("QUESTLOG_PROGRESS_FILE", c.progressFile("stream-writer").toString());
        return pb;
    }

    /**
     * Whether the newest driver (launched since the part's process started) printed {@code text} in its current run. A
     * Worker relaunching a supervised driver appends to the same driver-ID/stdout and stderr, writing one "Launch
     * Command:" header to stderr per launch: the current run printed it if stdout holds it as often as there were launches.
     */
    static boolean driverLogged(StackConfig c, String text) {
        long since = Supervisor.startedMs(c, Supervisor.STREAM_WRITER);
        List<Path> drivers = SparkStandalone.driverDirs(c);
        if (drivers.isEmpty()) return false;
        Path d = drivers.get(0);
        if (d.toFile().lastModified() + 2000 < since) return false; // an earlier run's driver
        int launches = count(d.resolve("stderr"), "Launch Command:");
        return launches > 0 && count(d.resolve("stdout"), text) >= launches;
    }

    static int count(Path file, String text) {
        try {
            if (!Files.exists(file)) return 0;
            String all = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
            int n = 0;
            for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + text.length())) n++;
            return n;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
