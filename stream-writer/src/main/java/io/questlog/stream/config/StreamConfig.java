package io.questlog.stream.config;

import static io.questlog.contract.Settings.CHECKPOINTS;
import static io.questlog.contract.Settings.DEDUP_HORIZON;
import static io.questlog.contract.Settings.KAFKA_BOOTSTRAP;
import static io.questlog.contract.Settings.MAX_OFFSETS_PER_TRIGGER;
import static io.questlog.contract.Settings.ON_DATA_LOSS;
import static io.questlog.contract.Settings.PROGRESS_FILE;
import static io.questlog.contract.Settings.ROUTES;
import static io.questlog.contract.Settings.SESSION_GAP;
import static io.questlog.contract.Settings.SPARK_LOG_LEVEL;
import static io.questlog.contract.Settings.SPARK_MASTER;
import static io.questlog.contract.Settings.STARTING_OFFSETS;
import static io.questlog.contract.Settings.TOPIC;
import static io.questlog.contract.Settings.TRIGGER;
import static io.questlog.contract.Settings.TRINO_JDBC;
import static io.questlog.contract.Settings.WAREHOUSE;
import static io.questlog.contract.Settings.WATERMARK;
import io.questlog.contract.Env;
import io.questlog.contract.Routes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Every setting of the stream-writer, read once from {@code QUESTLOG_*} variables and validated
 * with all problems reported together.
 *
 * @param trinoJdbc empty when partition registration is disabled ({@code QUESTLOG_TRINO_JDBC=none})
 */
public record StreamConfig(
        String kafkaBootstrap,
        String topic,
        String startingOffsets,
        String warehouse,
        String checkpoints,
        Duration trigger,
        Duration sessionGap,
        Duration watermark,
        Duration dedupHorizon,
        Routes routes,
        Optional<String> trinoJdbc,
        String sparkMaster,
        String sparkLogLevel,
        OnDataLoss onDataLoss,
        Optional<Path> progressFile,
        int maxOffsetsPerTrigger) {

    /**
     * What to do when Kafka no longer holds the offsets the checkpoint resumes from (retention passed
     * them while the job was down): FAIL stops with exit code 3 and says how many records are gone;
     * SKIP says so and continues from the earliest offset Kafka still has (Spark's failOnDataLoss=false).
     */
    public enum OnDataLoss { FAIL, SKIP }

    /** Exit code of the job when QUESTLOG_ON_DATA_LOSS=fail finds lost offsets: do not restart blindly. */
    public static final int EXIT_DATA_LOSS = 3;

    /** Exit code when the checkpoint is gone or another one than published into the warehouse (see CheckpointPairing). */
    public static final int EXIT_CHECKPOINT = 4;

    /** Reads and validates; throws {@link IllegalArgumentException} listing every bad setting. */
    public static StreamConfig from(Env env) {
        String bootstrap = env.string(KAFKA_BOOTSTRAP);
        String topic = env.string(TOPIC);
        String offsets = env.string(STARTING_OFFSETS);
        String warehouse = stripSlash(env.string(WAREHOUSE));
        String checkpoints = stripSlash(env.string(CHECKPOINTS));
        Duration trigger = env.duration(TRIGGER);
        Duration gap = env.duration(SESSION_GAP);
        Duration watermark = env.duration(WATERMARK);
        Duration dedupHorizon = env.duration(DEDUP_HORIZON);
        Routes routes = Routes.parse(env.string(ROUTES), env::error);
        String trino = env.string(TRINO_JDBC);
        String master = env.string(SPARK_MASTER);
        String logLevel = env.string(SPARK_LOG_LEVEL).toUpperCase();
        String onDataLoss = env.string(ON_DATA_LOSS).toLowerCase();
        String progress = java.util.Objects.toString(env.string(PROGRESS_FILE), "");
        // bounds a catch-up batch (after downtime or a preload): its rows are held while its tables are written
        int maxOffsets = env.integer(MAX_OFFSETS_PER_TRIGGER);

        if (!offsets.equals("earliest") && !offsets.equals("latest") && !offsets.startsWith("{")) {
            env.error(STARTING_OFFSETS.var() + "=" + offsets
                    + " must be earliest, latest or Spark's JSON offsets ({\"events\":{\"0\":42}})");
        }
        checkUri(env, "warehouse", warehouse);
        checkUri(env, "checkpoints", checkpoints);
        if (trigger.isZero()) env.error(TRIGGER.var() + " must be longer than 0");
        if (gap.isZero()) env.error(SESSION_GAP.var() + " must be longer than 0");
        if (!trino.equalsIgnoreCase("none") && !trino.startsWith("jdbc:trino://")) {
            env.error(TRINO_JDBC.var() + "=" + trino + " must be a jdbc:trino:// URL or none");
        }
        if (!logLevel.matches("ALL|TRACE|DEBUG|INFO|WARN|ERROR|FATAL|OFF|KEEP")) {
            env.error(SPARK_LOG_LEVEL.var() + "=" + logLevel
                    + " must be a log4j level (WARN, INFO, ...) or KEEP to leave log4j's configuration alone");
        }
        if (!onDataLoss.equals("fail") && !onDataLoss.equals("skip")) {
            env.error(ON_DATA_LOSS.var() + "=" + onDataLoss + " must be fail (stop, exit code 3) or skip "
                    + "(continue from the earliest offset Kafka still holds)");
        }
        if (maxOffsets < 0) env.error(MAX_OFFSETS_PER_TRIGGER.var() + " must be 0 (no limit) or more");
        env.validate("stream-writer");
        return new StreamConfig(bootstrap, topic, offsets, warehouse, checkpoints, trigger, gap, watermark,
                dedupHorizon, routes, trino.equalsIgnoreCase("none") ? Optional.empty() : Optional.of(trino), master, logLevel,
                onDataLoss.equals("skip") ? OnDataLoss.SKIP : OnDataLoss.FAIL,
                progress.isBlank() ? Optional.empty() : Optional.of(Path.of(progress)), maxOffsets);
    }

    /** Spark's interval text for a duration, e.g. {@code "1800000 milliseconds"}. */
    public static String interval(Duration d) {
        return d.toMillis() + " milliseconds";
    }

    public String checkpoint(String query) {
        return checkpoints + "/" + query;
    }

    private static void checkUri(Env env, String name, String value) {
        try {
            URI uri = new URI(value);
            if (uri.getPath() == null || uri.getPath().isEmpty()) {
                env.error(Env.varName(name) + "=" + value + " has no path");
            }
        } catch (Exception e) {
            env.error(Env.varName(name) + "=" + value + " is not a URI (e.g. hdfs://localhost:8020/questlog/"
                    + name + " or file:///tmp/questlog/" + name + ")");
        }
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") && s.length() > 1 ? s.substring(0, s.length() - 1) : s;
    }
}
