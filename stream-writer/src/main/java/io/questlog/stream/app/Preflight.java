package io.questlog.stream.app;

import io.questlog.stream.config.StreamConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** Checks before the queries start, so an unreachable Kafka or HDFS is named plainly, not buried in a trace. */
final class Preflight {
    private Preflight() {
    }

    /** Waits up to {@code attempts} x ~10 s for Kafka to answer; false if it never does. */
    static boolean kafka(StreamConfig cfg, int attempts) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 8000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        RetryPolicy<Set<String>> retry = RetryPolicy.<Set<String>>builder()
                .withMaxAttempts(attempts) // no pause between: each attempt waits up to 10 s for an answer
                .onFailedAttempt(e -> System.err.println("[questlog] Kafka at " + cfg.kafkaBootstrap()
                        + " (QUESTLOG_KAFKA_BOOTSTRAP) is unreachable (attempt " + e.getAttemptCount() + "/" + attempts + "): "
                        + rootMessage(e.getLastException())))
                .build();
        try {
            Set<String> topics = Failsafe.with(retry).get(() -> {
                try (Admin admin = Admin.create(p)) {
                    return admin.listTopics().names().get(10, TimeUnit.SECONDS);
                }
            });
            if (!topics.contains(cfg.topic())) {
                System.err.println("[questlog] Kafka at " + cfg.kafkaBootstrap() + " has no topic " + cfg.topic()
                        + " yet; the job waits for it (QUESTLOG_TOPIC)");
            }
            return true;
        } catch (RuntimeException e) { // Failsafe's FailsafeException wraps the last checked one
            return false;
        }
    }

    /** Makes the warehouse and checkpoint folders; false (after saying which) if a file system is unreachable. */
    static boolean fileSystems(Configuration conf, StreamConfig cfg) {
        return mkdirs(conf, cfg.warehouse(), "QUESTLOG_WAREHOUSE") && mkdirs(conf, cfg.checkpoints(), "QUESTLOG_CHECKPOINTS");
    }

    private static boolean mkdirs(Configuration conf, String dir, String var) {
        Path path = new Path(dir);
        try {
            FileSystem fs = path.getFileSystem(conf);
            fs.mkdirs(path);
            return true;
        } catch (IOException | RuntimeException e) {
            System.err.println("[questlog] cannot reach the file system of " + var + "=" + dir + " ("
                    + path.toUri().getScheme() + "://" + path.toUri().getAuthority() + " — is HDFS up?): "
                    + rootMessage(e));
            return false;
        }
    }

    /** {@code e}, and its root cause if it has one: the cause usually says what is wrong, {@code e} where. */
    static String rootMessage(Throwable e) {
        Throwable t = ExceptionUtils.getRootCause(e);
        return t == null || t == e ? e.toString() : e + " (cause: " + t + ")";
    }
}
