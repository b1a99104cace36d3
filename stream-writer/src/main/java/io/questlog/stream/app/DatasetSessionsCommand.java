package io.questlog.stream.app;

import io.questlog.stream.batch.DatasetSessions;
import io.questlog.stream.batch.DatasetSessionsJob;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spark-submit stream-writer.jar sessions --input PATH --group-key KEY ...}: the session-counting challenge
 * over a dataset. Every option falls back to the challenge's own variable (READ_PATH, WRITE_PATH, USER_KEY,
 * TIMESTAMP_KEY, MAX_SESSION_SECONDS, GROUP_KEY), then to its default. Exit 0 done (rejected lines included),
 * 1 the job failed, 2 bad arguments.
 */
@Command(name = "sessions", sortOptions = false, showDefaultValues = true, mixinStandardHelpOptions = true,
        description = {"Counts sessions per GROUP_KEY value in a dataset of NDJSON user events (plain or gzip) and writes",
            "OUTPUT/sessions_by_KEY.json, e.g. {\"iPhone\":42,...}. A gap longer than --max-session-seconds starts a new session;",
            "a session counts under its first event's value. Malformed lines and lines without the user or time are",
            "counted and written to OUTPUT/sessions_by_KEY.rejects/."})
public final class DatasetSessionsCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, defaultValue = "${env:READ_PATH}", paramLabel = "PATH",
            description = "folder, file or glob: a local path, hdfs://, s3a:// (variable READ_PATH)")
    String input;
    @Option(names = "--group-key", required = true, defaultValue = "${env:GROUP_KEY}", paramLabel = "KEY",
            description = "browser_family, os_family, device_family or any field (variable GROUP_KEY)")
    String groupKey;
    @Option(names = "--user-key", defaultValue = "${env:USER_KEY:-anonymous_id}", paramLabel = "FIELD", description = "(variable USER_KEY)")
    String userKey;
    @Option(names = "--timestamp-key", defaultValue = "${env:TIMESTAMP_KEY:-device_sent_timestamp}", paramLabel = "FIELD",
            description = "epoch milliseconds (variable TIMESTAMP_KEY)")
    String timestampKey;
    @Option(names = "--max-session-seconds", defaultValue = "${env:MAX_SESSION_SECONDS:-1800}", paramLabel = "N",
            description = "(variable MAX_SESSION_SECONDS)")
    long maxSessionSeconds;
    @Option(names = "--output", defaultValue = "${env:WRITE_PATH:-.}", paramLabel = "DIR", description = "(variable WRITE_PATH)")
    String output;

    static int run(String... args) {
        return new CommandLine(new DatasetSessionsCommand()).execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (maxSessionSeconds < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--max-session-seconds must be at least 1");
        SparkConf conf = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName("questlog-sessions").config("spark.ui.showConsoleProgress", "false");
        if (!conf.contains("spark.master")) b.master("local[*]"); // run without spark-submit
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        // a glob as --input makes Spark look for a streaming sink's metadata folder of that name, and warn with a trace
        org.apache.logging.log4j.core.config.Configurator.setLevel(
                "org.apache.spark.sql.execution.streaming.sinks.FileStreamSink", org.apache.logging.log4j.Level.ERROR);
        try {
            DatasetSessionsJob.run(spark, new DatasetSessionsJob.Options(input, output,
                    new DatasetSessions.Keys(userKey, timestampKey, groupKey), maxSessionSeconds * 1000), System.out);
            return 0;
        } finally {
            spark.stop();
        }
    }
}
