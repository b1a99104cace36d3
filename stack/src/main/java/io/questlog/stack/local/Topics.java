package io.questlog.stack.local;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the `events` topic before the stream-writer starts: Spark's Kafka source fails on a topic
 * that does not exist yet, and auto-creation on the first produce races with the job's first read.
 */
public final class Topics {
    static final String EVENTS = "events";

    /** Every partition has a leader: asked every 500 ms, 60 times (30 s); an error from Kafka ends the wait at once. */
    private static final RetryPolicy<Boolean> UNTIL_LEADERS = RetryPolicy.<Boolean>builder()
            .handleResult(false).abortOn(Exception.class)
            .withDelay(Duration.ofMillis(500)).withMaxAttempts(60).build();

    private Topics() {}

    public static void ensure(StackConfig c) throws InterruptedException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, c.kafkaBootstrap());
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        try (Admin admin = Admin.create(p)) {
            try {
                admin.createTopics(List.of(events(c))).all().get(15, TimeUnit.SECONDS);
                System.out.println("  topic events created (" + c.kafkaPartitions() + " partitions, replication factor "
                        + replicationFactor(c) + ")");
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) throw e;
            }
            // wait until every partition has a leader, so the first read finds them all
            boolean led = Failsafe.with(UNTIL_LEADERS).get(() -> admin.describeTopics(List.of(EVENTS)).allTopicNames()
                    .get(15, TimeUnit.SECONDS).get(EVENTS).partitions().stream()
                    .allMatch(tp -> tp.leader() != null && !tp.leader().isEmpty()));
            if (!led) throw new StackException("topic events has partitions without a leader after 30 s: see " + c.log("kafka"));
        } catch (FailsafeException e) { // a checked exception from the wait, wrapped
            if (e.getCause() instanceof InterruptedException ie) throw ie;
            throw cannotCreate(c, e.getCause());
        } catch (ExecutionException | TimeoutException e) {
            throw cannotCreate(c, e);
        }
    }

    /** Cluster: on all 3 brokers, a write acknowledged by 2 (acks=all), and never a leader that missed writes. */
    static NewTopic events(StackConfig c) {
        return new NewTopic(EVENTS, c.kafkaPartitions(), (short) replicationFactor(c)).configs(c.cluster()
                ? Map.of("min.insync.replicas", "2", "unclean.leader.election.enable", "false")
                : Map.of("min.insync.replicas", "1"));
    }

    static int replicationFactor(StackConfig c) {
        return c.cluster() ? StackConfig.KAFKA_NODES : 1;
    }

    private static StackException cannotCreate(StackConfig c, Throwable e) {
        return new StackException("cannot create topic events on Kafka at " + c.kafkaBootstrap() + " (" + e.getMessage()
                + "): see " + c.log("kafka"));
    }
}
