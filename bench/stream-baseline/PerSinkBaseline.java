import io.questlog.contract.Env;
import io.questlog.stream.app.Main;
import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.parse.Parse;
import io.questlog.stream.pipeline.Pipeline;
import io.questlog.stream.publish.EventTablesWriter;
import io.questlog.stream.publish.KafkaLag;
import io.questlog.stream.publish.ParquetPublisher;
import io.questlog.stream.publish.PartitionRegistrar;
import io.questlog.stream.publish.Progress;
import io.questlog.stream.publish.TrinoPartitionRegistrar;
import io.questlog.stream.route.FanOut;
import io.questlog.contract.Route;
import io.questlog.stream.sessions.Sessions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * bench/stream's baseline, the seed's design: one streaming query per table, each reading Kafka and parsing on its
 * own (checkpoints {@code per-sink-<table>}), sessions through Spark's own session_window. Runs with the job's
 * settings (QUESTLOG_* variables, {@link Main#session}) and prints the lines bench/stream waits for. Compiled by
 * bench/stream against stream-writer.jar and Spark's classpath, submitted with spark-submit like the job.
 */
public final class PerSinkBaseline {
    private final SparkSession spark;
    private final StreamConfig cfg;
    private final ParquetPublisher publisher;

    private PerSinkBaseline(SparkSession spark, StreamConfig cfg) {
        this.spark = spark;
        this.cfg = cfg;
        PartitionRegistrar registrar = cfg.trinoJdbc().<PartitionRegistrar>map(TrinoPartitionRegistrar::new).orElse(PartitionRegistrar.NONE);
        this.publisher = new ParquetPublisher(cfg.warehouse(), spark.sparkContext().hadoopConfiguration(), registrar);
    }

    public static void main(String[] args) throws Exception {
        StreamConfig cfg = StreamConfig.from(Env.system());
        System.out.println("[questlog] stream-writer: kafka=" + cfg.kafkaBootstrap() + " topic=" + cfg.topic()
                + " warehouse=" + cfg.warehouse() + " checkpoints=" + cfg.checkpoints() + " pipeline=per-sink");
        Progress.keepIn(cfg.progressFile());
        SparkSession spark = Main.session(cfg);
        spark.streams().addListener(new KafkaLag()); // its kafka_lag=0 lines tell bench/stream a query caught up
        List<StreamingQuery> queries = new PerSinkBaseline(spark, cfg).start();
        System.out.println("[questlog] stream-writer started: queries "
                + queries.stream().map(StreamingQuery::name).toList() + " running");
        spark.streams().awaitAnyTermination();
    }

    private List<StreamingQuery> start() throws TimeoutException {
        List<StreamingQuery> queries = new ArrayList<>();
        List<String> tables = new ArrayList<>(List.of(EventTablesWriter.EVENTS));
        cfg.routes().all().forEach(r -> tables.add(r.table()));
        for (String table : tables) {
            Route route = cfg.routes().all().stream().filter(r -> r.table().equals(table)).findFirst().orElse(null);
            Dataset<Row> events = Parse.events(Parse.dropDuplicateEvents(Parse.classify(kafka()), cfg.dedupHorizon()));
            Dataset<Row> rows = route == null ? events : FanOut.rowsFor(route, events);
            queries.add(perSink(table, rows));
        }
        queries.add(perSink(EventTablesWriter.BAD_EVENTS, Parse.bad(Parse.classify(kafka()))));
        queries.add(Sessions.sessionize(Parse.events(Parse.classify(kafka())), cfg.sessionGap(), cfg.watermark())
                .writeStream().queryName("per-sink-sessions").outputMode("append")
                .option("checkpointLocation", cfg.checkpoint("per-sink-sessions"))
                .trigger(Trigger.ProcessingTime(cfg.trigger().toMillis()))
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) this::publishSessions)
                .start());
        return queries;
    }

    private Dataset<Row> kafka() {
        return Pipeline.kafka(spark, cfg);
    }

    private StreamingQuery perSink(String table, Dataset<Row> rows) throws TimeoutException {
        return rows.writeStream()
                .queryName("per-sink-" + table)
                .option("checkpointLocation", cfg.checkpoint("per-sink-" + table))
                .trigger(Trigger.ProcessingTime(cfg.trigger().toMillis()))
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, batchId) -> {
                    long start = System.currentTimeMillis();
                    Dataset<Row> batch = df.persist();
                    try {
                        long n = batch.count();
                        if (n > 0) publisher.publish(table, batchId, batch, "ps");
                        Progress.log(Instant.now() + " [questlog] query=per-sink-" + table
                                + " batch=" + batchId + " rows_in=" + n + " duration_ms=" + (System.currentTimeMillis() - start));
                    } finally {
                        batch.unpersist();
                    }
                })
                .start();
    }

    /** Closed sessions of a batch into {@code sessions}. */
    private void publishSessions(Dataset<Row> sessions, long batchId) {
        long start = System.currentTimeMillis();
        Dataset<Row> batch = sessions.persist();
        try {
            long n = batch.count();
            if (n > 0) publisher.publish(EventTablesWriter.SESSIONS, batchId, batch, "ps");
            Progress.log(Instant.now() + " [questlog] query=per-sink-sessions batch=" + batchId + " rows_in=" + n
                    + " duration_ms=" + (System.currentTimeMillis() - start));
        } finally {
            batch.unpersist();
        }
    }
}
