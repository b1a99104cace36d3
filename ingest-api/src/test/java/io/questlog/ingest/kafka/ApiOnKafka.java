package io.questlog.ingest.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import io.questlog.contract.Env;
import io.questlog.ingest.http.IngestApp;
import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.http.IngestMetrics;
import java.util.Map;

/** The ingest API on a random port in front of a real broker with a two-partition topic, for the ITs. */
record ApiOnKafka(EmbeddedKafka kafka, KafkaEventSink sink, Javalin app) implements AutoCloseable {

    /** Short delivery and blocking timeouts, so a stopped broker turns into 503s within seconds. */
    static ApiOnKafka start(String topic, String retryAfter) throws Exception {
        EmbeddedKafka kafka = new EmbeddedKafka();
        kafka.createTopic(topic, 2);
        Env env = new Env(Map.of("QUESTLOG_KAFKA_BOOTSTRAP", kafka.bootstrap(), "QUESTLOG_TOPIC", topic,
                "QUESTLOG_DELIVERY_TIMEOUT", "3 seconds", "QUESTLOG_KAFKA_MAX_BLOCK", "2 seconds",
                "QUESTLOG_INGEST_RETRY_AFTER", retryAfter));
        IngestConfig cfg = IngestConfig.from(env);
        assertThat(env.errors()).isEmpty();
        KafkaEventSink sink = new KafkaEventSink(cfg);
        return new ApiOnKafka(kafka, sink, IngestApp.create(cfg, sink, new IngestMetrics()).start("127.0.0.1", 0));
    }

    @Override
    public void close() throws Exception {
        app.stop();
        sink.close();
        kafka.close();
    }
}
