package io.questlog.ingest.kafka;

import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.event.Envelope;
import io.questlog.ingest.event.EnvelopeWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Produces envelopes to the events topic: key = user_id, value = the envelope's JSON,
 * acks=all with idempotence, so an acknowledged event is on every in-sync replica exactly once.
 */
public final class KafkaEventSink implements EventSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEventSink.class);
    private static final long HEALTH_CACHE_MS = 3_000;
    private static final int HEALTH_TIMEOUT_MS = 2_000;

    private final String topic;
    private final Producer<String, byte[]> producer;
    private final Admin admin;
    private final Object healthLock = new Object();
    private long healthCheckedAt = Long.MIN_VALUE / 2;
    private boolean lastHealthy;

    public KafkaEventSink(IngestConfig cfg) {
        this.topic = cfg.topic();
        this.producer = new KafkaProducer<>(producerProps(cfg), new StringSerializer(), new ByteArraySerializer());
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap(),
                AdminClientConfig.CLIENT_ID_CONFIG, "questlog-ingest-health",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, HEALTH_TIMEOUT_MS,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, HEALTH_TIMEOUT_MS,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
    }

    static Map<String, Object> producerProps(IngestConfig cfg) {
        long delivery = cfg.deliveryTimeout().toMillis();
        long linger = cfg.linger().toMillis();
        // the producer requires delivery.timeout.ms >= linger.ms + request.timeout.ms
        long requestTimeout = Math.min(30_000, delivery - linger);
        return Map.ofEntries(
                Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.kafkaBootstrap()),
                Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "questlog-ingest"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, (int) linger),
                Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, cfg.compression()),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) delivery),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) requestTimeout),
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, cfg.maxBlock().toMillis()),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
    }

    @Override
    public CompletableFuture<Void> send(List<Envelope> envelopes) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        if (envelopes.isEmpty()) {
            all.complete(null);
            return all;
        }
        // one future per request, not per event: the last acknowledgement completes it, the first failure fails it
        AtomicInteger pending = new AtomicInteger(envelopes.size());
        Callback ack = (meta, err) -> {
            if (err != null) all.completeExceptionally(err);
            else if (pending.decrementAndGet() == 0) all.complete(null);
        };
        EnvelopeWriter json = new EnvelopeWriter();
        for (Envelope e : envelopes) {
            try {
                producer.send(new ProducerRecord<>(topic, e.userId(), json.write(e)), ack);
            } catch (RuntimeException err) {
                // send() blocks up to max.block.ms for metadata or buffer space, then throws: the
                // broker is unreachable, so fail this request at once instead of blocking per event
                all.completeExceptionally(err);
                return all;
            }
        }
        return all;
    }

    @Override
    public boolean healthy() {
        synchronized (healthLock) {
            long now = System.currentTimeMillis();
            if (now - healthCheckedAt < HEALTH_CACHE_MS) return lastHealthy;
            boolean up;
            try {
                up = !admin.describeCluster(new DescribeClusterOptions().timeoutMs(HEALTH_TIMEOUT_MS))
                        .nodes().get(HEALTH_TIMEOUT_MS + 500L, TimeUnit.MILLISECONDS).isEmpty();
            } catch (Exception e) {
                up = false;
            }
            if (up != lastHealthy) LOG.info("kafka is {}", up ? "reachable" : "NOT reachable");
            lastHealthy = up;
            healthCheckedAt = System.currentTimeMillis();
            return up;
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
        admin.close(Duration.ofSeconds(2));
    }
}
