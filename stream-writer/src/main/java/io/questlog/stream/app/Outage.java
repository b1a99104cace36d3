package io.questlog.stream.app;

import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.publish.Progress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * What the job does when a query fails for a reason other than lost Kafka offsets: it waits instead of
 * exiting. It names the first dependency that does not answer (Kafka, the HDFS NameNode, Trino) in the
 * progress line every few seconds ("waiting for Trino at 127.0.0.1:8080: 42 s"), and Main restarts the
 * queries once they all answer; the failed batch is then replayed, which publishing makes idempotent.
 * The clock runs from the first failure until a batch completes again (it listens to the queries' progress).
 */
final class Outage extends StreamingQueryListener {
    /** A part the job talks to: a name for people and the addresses any one of which answering is enough. */
    record Dependency(String name, List<InetSocketAddress> addresses) {
        String where() {
            return String.join(",", addresses.stream().map(a -> a.getHostString() + ":" + a.getPort()).toList());
        }
    }

    /** Thrown by {@link #check} while a dependency is down. */
    static final class Down extends RuntimeException {
        Down(String message) {
            super(message, null, false, false);
        }
    }

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final List<Dependency> dependencies;
    private volatile Instant since;
    private int failures;

    Outage(List<Dependency> dependencies) {
        this.dependencies = List.copyOf(dependencies);
    }

    /** Kafka's bootstrap servers, the NameNodes of the warehouse and checkpoints (hdfs:// only) and Trino. */
    static List<Dependency> of(StreamConfig cfg) {
        List<Dependency> out = new ArrayList<>();
        List<InetSocketAddress> kafka = new ArrayList<>();
        for (String hostPort : cfg.kafkaBootstrap().split(",")) {
            if (!hostPort.isBlank()) kafka.add(hostPort(hostPort.trim(), 9092));
        }
        out.add(new Dependency("Kafka", kafka));
        for (String fs : List.of(cfg.warehouse(), cfg.checkpoints())) {
            URI uri = URI.create(fs);
            if (!"hdfs".equals(uri.getScheme()) || uri.getHost() == null) continue;
            Dependency nn = new Dependency("the HDFS NameNode",
                    List.of(InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() < 0 ? 8020 : uri.getPort())));
            if (!out.contains(nn)) out.add(nn);
        }
        cfg.trinoJdbc().ifPresent(url -> {
            URI uri = URI.create(url.substring("jdbc:".length()));
            out.add(new Dependency("Trino", List.of(InetSocketAddress.createUnresolved(uri.getHost(),
                    uri.getPort() < 0 ? 8080 : uri.getPort()))));
        });
        return out;
    }

    private static InetSocketAddress hostPort(String s, int defaultPort) {
        int colon = s.lastIndexOf(':');
        return colon < 0 ? InetSocketAddress.createUnresolved(s, defaultPort)
                : InetSocketAddress.createUnresolved(s.substring(0, colon), Integer.parseInt(s.substring(colon + 1)));
    }

    /** The first dependency none of whose addresses accepts a connection, if any. */
    Optional<Dependency> firstDown() {
        for (Dependency d : dependencies) {
            if (d.addresses().stream().noneMatch(Outage::answers)) return Optional.of(d);
        }
        return Optional.empty();
    }

    private static boolean answers(InetSocketAddress a) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(a.getHostString(), a.getPort()), (int) CONNECT_TIMEOUT.toMillis());
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    /** Throws {@link Down} (after saying so in the progress line) while a dependency does not answer. */
    void check() {
        firstDown().ifPresent(d -> {
            begin();
            String line = "waiting for " + d.name() + " at " + d.where() + ": " + seconds() + " s";
            Progress.log(Instant.now() + " [questlog] " + line);
            throw new Down(line);
        });
    }

    /**
     * A query failed: starts the clock (if not running), says why, and returns how long to wait before
     * restarting: 1 s doubling to 30 s over consecutive failures, so an error that every replay meets again
     * does not spin.
     */
    synchronized Duration failed(String why) {
        if (since == null) since = Instant.now();
        failures++;
        Progress.log(Instant.now() + " [questlog] retrying batch after failure " + failures + " (held up "
                + seconds() + " s): " + why);
        return Duration.ofSeconds(Math.min(30, 1L << Math.min(failures - 1, 5)));
    }

    /** A batch completed ({@code what}): says how long the job was held up, if it was, and stops the clock. */
    synchronized void resumed(String what) {
        if (since == null) return;
        System.out.println(Instant.now() + " [questlog] resumed: " + what + " after "
                + Duration.between(since, Instant.now()).toSeconds() + " s held up");
        since = null;
        failures = 0;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        if (event.progress().numInputRows() > 0 || event.progress().batchDuration() > 0) {
            resumed("batch " + event.progress().batchId() + " completed");
        }
    }

    private long seconds() {
        Instant s = since;
        return s == null ? 0 : Duration.between(s, Instant.now()).toSeconds();
    }

    private synchronized void begin() {
        if (since == null) since = Instant.now();
    }
}
