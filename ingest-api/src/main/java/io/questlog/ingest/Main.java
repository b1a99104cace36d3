package io.questlog.ingest;

import io.javalin.Javalin;
import io.questlog.contract.Env;
import io.questlog.ingest.http.IngestApp;
import io.questlog.ingest.http.IngestMetrics;
import io.questlog.ingest.kafka.KafkaEventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar ingest-api.jar}: reads QUESTLOG_* settings, then serves until stopped. */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        Env env = Env.system();
        IngestConfig cfg = IngestConfig.from(env);
        if (!env.errors().isEmpty()) {
            System.err.println("ingest-api: invalid configuration (fix these environment variables):");
            env.errors().forEach(e -> System.err.println("  " + e));
            System.exit(2);
        }
        KafkaEventSink sink = new KafkaEventSink(cfg);
        Javalin app = IngestApp.create(cfg, sink, new IngestMetrics());
        try {
            app.start(cfg.host(), cfg.port());
        } catch (RuntimeException e) {
            System.err.println("ingest-api: cannot listen on " + cfg.host() + ":" + cfg.port() + ": " + rootMessage(e));
            sink.close();
            System.exit(1);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("ingest-api stopping");
            app.stop();
            sink.close();
        }, "ingest-shutdown"));
        LOG.info("ingest-api listening on http://{}:{}, producing to {} at {}",
                cfg.host(), app.port(), cfg.topic(), cfg.kafkaBootstrap());
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null) t = t.getCause();
        return t.getMessage();
    }
}
