package io.questlog.stream.app;

import io.questlog.contract.Env;
import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.pipeline.Pipeline;
import io.questlog.stream.publish.PartitionRegistrar;
import io.questlog.stream.publish.Progress;
import io.questlog.stream.publish.StreamMetrics;
import io.questlog.stream.publish.TrinoPartitionRegistrar;
import dev.failsafe.Failsafe;
import dev.failsafe.RetryPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * {@code spark-submit stream-writer.jar}: Kafka topic {@code events} into the warehouse's tables.
 * Configuration comes only from {@code QUESTLOG_*} variables (see {@link StreamConfig}).
 * Exit codes: 0 stopped, 1 Spark itself stopped, 2 bad configuration, 3 Kafka no longer holds
 * the checkpoint's offsets and QUESTLOG_ON_DATA_LOSS=fail (restarting alone will not help), 4 the checkpoint
 * is not the one that published into the warehouse ({@link CheckpointPairing}). Any other
 * failure (a dependency down or slow, a batch that failed) is waited out and the queries restarted
 * ({@link Outage}); the failed batch is replayed, which publishing makes idempotent.
 */
public final class Main {
    private Main() {
    }

    /**
     * Starts each of the job's queries that is not running: all of them at first, after a failure only the one that
     * failed (the other goes on; restarting it too would replay its batch and reload its state for nothing). A query
     * of that name still active (started by an earlier attempt that then failed on the other one) is kept as it is:
     * Spark refuses a second one, and stopping it would end the job's wait for a termination as if shut down.
     */
    private static Map<String, StreamingQuery> startStopped(Map<String, StreamingQuery> queries, Pipeline pipeline,
                                                            SparkSession spark, StreamConfig cfg) throws Exception {
        Map<String, StreamingQuery> next = new LinkedHashMap<>(queries);
        for (String name : List.of(Pipeline.TABLES, Pipeline.SESSIONS)) {
            StreamingQuery q = next.get(name);
            if (q != null && q.isActive()) continue;
            Optional<StreamingQuery> running = Arrays.stream(spark.streams().active()).filter(a -> name.equals(a.name())).findFirst();
            if (running.isPresent()) {
                next.put(name, running.get());
            } else if (name.equals(Pipeline.TABLES)) {
                next.put(name, pipeline.startTables(Pipeline.kafka(spark, cfg)));
            } else {
                next.put(name, startSessions(pipeline, spark, cfg));
            }
        }
        return next;
    }

    /** The sessions query, carrying over the earlier version's open sessions on its first start ({@link SessionsUpgrade}). */
    private static StreamingQuery startSessions(Pipeline pipeline, SparkSession spark, StreamConfig cfg) throws Exception {
        Optional<SessionsUpgrade.Carried> carried = SessionsUpgrade.find(spark.sparkContext().hadoopConfiguration(),
                cfg.checkpoint(Pipeline.TABLES), cfg.checkpoint(Pipeline.SESSIONS_CHECKPOINT), cfg.topic());
        if (carried.isEmpty()) return pipeline.startSessions(Pipeline.kafka(spark, cfg));
        SessionsUpgrade.Carried c = carried.get();
        Progress.log(Instant.now() + " [questlog] upgrading: " + c.open().size() + " open sessions carried over from "
                + SessionsUpgrade.EARLIER_STORE + "; the sessions query starts after batch " + c.afterBatch()
                + " of the tables query, at " + c.startingOffsets(cfg.topic()));
        return pipeline.startSessions(Pipeline.kafka(spark, cfg, c.startingOffsets(cfg.topic())), c.open());
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("sessions")) { // the batch job over a dataset
            System.exit(DatasetSessionsCommand.run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        StreamConfig cfg;
        try {
            cfg = StreamConfig.from(Env.system());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.out.println("[questlog] stream-writer: kafka=" + cfg.kafkaBootstrap() + " topic=" + cfg.topic()
                + " warehouse=" + cfg.warehouse() + " checkpoints=" + cfg.checkpoints() + " trigger=" + StreamConfig.interval(cfg.trigger())
                + " session_gap=" + StreamConfig.interval(cfg.sessionGap())
                + " watermark=" + StreamConfig.interval(cfg.watermark()) + " dedup_horizon=" + StreamConfig.interval(cfg.dedupHorizon())
                + " routes=" + cfg.routes()
                + " trino=" + cfg.trinoJdbc().orElse("none") + " on_data_loss=" + cfg.onDataLoss().name().toLowerCase());
        Progress.keepIn(cfg.progressFile());
        SparkSession spark = session(cfg);

        StreamMetrics.register();
        // a dependency that is down or slow holds the job up, it does not stop it: wait, say so, go on
        Outage outage = new Outage(Outage.of(cfg));
        RetryPolicy<Object> untilUp = RetryPolicy.builder()
                .handle(Exception.class)
                .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(10))
                .withMaxRetries(-1)
                .onFailedAttempt(e -> {
                    if (!(e.getLastException() instanceof Outage.Down)) {
                        outage.failed("starting the queries: " + Preflight.rootMessage(e.getLastException()));
                    }
                })
                .build();
        List<String> gaps = Failsafe.with(untilUp).get(() -> {
            outage.check();
            if (!Preflight.kafka(cfg, 1) || !Preflight.fileSystems(spark.sparkContext().hadoopConfiguration(), cfg)) {
                throw new Outage.Down("Kafka or the file systems did not answer");
            }
            // both queries resume from their own checkpoint's offsets
            List<String> lost = new ArrayList<>(DataLoss.check(spark.sparkContext().hadoopConfiguration(), cfg, Pipeline.TABLES));
            for (String g : DataLoss.check(spark.sparkContext().hadoopConfiguration(), cfg, Pipeline.SESSIONS_CHECKPOINT)) {
                lost.add(Pipeline.SESSIONS + ": " + g);
            }
            return lost;
        });
        Optional<String> foreign = Failsafe.with(untilUp).get(() -> CheckpointPairing.mismatch(
                spark.sparkContext().hadoopConfiguration(), cfg.warehouse(), cfg.checkpoint(Pipeline.TABLES)));
        if (foreign.isPresent()) {
            System.err.println("[questlog] refusing to start: " + foreign.get() + " (exit " + StreamConfig.EXIT_CHECKPOINT + ")");
            spark.stop();
            System.exit(StreamConfig.EXIT_CHECKPOINT);
        }
        if (!gaps.isEmpty()) {
            System.err.println("[questlog] Kafka retention passed the checkpoints under " + cfg.checkpoints()
                    + ": " + String.join("; ", gaps));
            if (cfg.onDataLoss() == StreamConfig.OnDataLoss.FAIL) {
                System.err.println("[questlog] QUESTLOG_ON_DATA_LOSS=fail: stopping (exit " + StreamConfig.EXIT_DATA_LOSS
                        + "). Those records cannot be read any more: restart with QUESTLOG_ON_DATA_LOSS=skip to go on from"
                        + " the earliest offsets Kafka holds (the gap stays missing from the tables), or re-send them.");
                spark.stop();
                System.exit(StreamConfig.EXIT_DATA_LOSS);
            }
            System.err.println("[questlog] QUESTLOG_ON_DATA_LOSS=skip: going on from the earliest offsets Kafka holds;"
                    + " the records above are missing from the tables");
        }
        PartitionRegistrar registrar = cfg.trinoJdbc()
                .<PartitionRegistrar>map(TrinoPartitionRegistrar::new).orElse(PartitionRegistrar.NONE);
        Pipeline pipeline = new Pipeline(spark, cfg, registrar);
        spark.streams().addListener(new io.questlog.stream.publish.KafkaLag());
        spark.streams().addListener(outage); // a completed batch ends an outage's clock
        Map<String, StreamingQuery> queries = Failsafe.with(untilUp).get(() -> {
            outage.check();
            return startStopped(Map.of(), pipeline, spark, cfg);
        });
        String id = queries.get(Pipeline.TABLES).id().toString();
        Failsafe.with(untilUp).run(() -> CheckpointPairing.remember(spark.sparkContext().hadoopConfiguration(), cfg.warehouse(), id));
        // `./questlog up` waits for this exact line (Parts.STREAM_WRITER_STARTED)
        System.out.println("[questlog] stream-writer started: queries "
                + List.copyOf(queries.keySet()) + " running");
        int code = 0;
        while (true) {
            try {
                spark.streams().awaitAnyTermination();
                // a query stopped without an error: the job is shutting down (SIGTERM), unless the other still runs
                if (queries.values().stream().noneMatch(StreamingQuery::isActive)) break;
                spark.streams().resetTerminated();
            } catch (StreamingQueryException e) {
                // reset first: a failure after this point is reported by the next wait, not lost
                spark.streams().resetTerminated();
                // a query that failed while the other was being restarted, and was restarted with it: nothing to do
                if (queries.values().stream().allMatch(StreamingQuery::isActive)) continue;
                List<String> lost = new ArrayList<>();
                List<String> why = new ArrayList<>();
                for (StreamingQuery q : queries.values()) {
                    if (q.exception().isEmpty()) continue;
                    StreamingQueryException qe = q.exception().get();
                    if (DataLoss.isDataLoss(qe)) lost.add(q.name() + ": " + Preflight.rootMessage(qe));
                    // SPARK-55271: the replayed batch is committed before the Kafka source fails reporting progress
                    else if (!KafkaMetricsBug.matches(qe)) why.add(q.name() + ": " + Preflight.rootMessage(qe));
                }
                if (!lost.isEmpty()) {
                    System.err.println("[questlog] stopped: Kafka no longer holds offsets the job needs (" + String.join("; ", lost)
                            + "). QUESTLOG_ON_DATA_LOSS=fail: exit " + StreamConfig.EXIT_DATA_LOSS
                            + "; restart with QUESTLOG_ON_DATA_LOSS=skip to go on without them");
                    code = StreamConfig.EXIT_DATA_LOSS;
                    break;
                }
                if (spark.sparkContext().isStopped()) {
                    code = 1;
                    break;
                }
                Duration pause = Duration.ZERO;
                if (why.isEmpty()) {
                    // only SPARK-55271: its batch is committed (so an outage before it is over); go on at once
                    System.out.println(Instant.now() + " [questlog] Spark's Kafka source failed reporting progress after"
                            + " replaying a batch (SPARK-55271); the batch is committed: restarting that query in this JVM");
                    outage.resumed("a replayed batch committed");
                } else {
                    pause = outage.failed(shorten(String.join("; ", why)));
                }
                sleep(pause);
                StreamMetrics.INSTANCE.restarted();
                Map<String, StreamingQuery> running = queries;
                queries = Failsafe.with(untilUp).get(() -> {
                    outage.check();
                    return startStopped(running, pipeline, spark, cfg);
                });
            }
        }
        for (StreamingQuery q : queries.values()) q.stop();
        spark.stop();
        System.exit(code);
    }

    /** The job's Spark session; public for bench/stream's baseline, which must run with the same settings. */
    public static SparkSession session(StreamConfig cfg) {
        SparkSession.Builder builder = Pipeline.configure(SparkSession.builder().appName("questlog-stream-writer"));
        SparkConf given = new SparkConf();
        if (!given.contains("spark.master")) builder.master(cfg.sparkMaster());
        // few cores here: 200 shuffle partitions would mean 200 tasks (and 200 RocksDB instances) per sessions batch.
        // It is also the sessions state's partition count, fixed once CHECKPOINTS/sessions-state exists
        if (!given.contains("spark.sql.shuffle.partitions")) builder.config("spark.sql.shuffle.partitions", "4");
        if (!given.contains("spark.ui.enabled")) builder.config("spark.ui.enabled", "false");
        // Adaptive execution inside foreachBatch (a cached batch feeding another cached plan) hung for good
        // waiting on a stage event in Spark 4.1.1; the streaming query itself runs without it anyway.
        if (!given.contains("spark.sql.adaptive.enabled")) builder.config("spark.sql.adaptive.enabled", "false");
        // a batch mostly holds one or two dts: write them through open writers instead of sorting every row by dt
        if (!given.contains("spark.sql.optimizer.plannedWrite.enabled")) builder.config("spark.sql.optimizer.plannedWrite.enabled", "false");
        if (!given.contains("spark.sql.maxConcurrentOutputFileWriters")) builder.config("spark.sql.maxConcurrentOutputFileWriters", "8");
        // a kill 1.3 s after a fresh start (CrashRecoveryIT) left the offsets folder non-empty but with no readable
        // batch: Spark 4.1 then takes the query for a new one and refuses the folder on every restart. With no batch
        // logged nothing ran, so starting batch 0 again is right; our checkpoint folders are one per query.
        if (!given.contains("spark.sql.streaming.verifyCheckpointDirectoryEmptyOnStart")) {
            builder.config("spark.sql.streaming.verifyCheckpointDirectoryEmptyOnStart", "false");
        }
        // HDFS: closing a file waits for the DataNode's block report, polled from 400 ms doubling, and a batch
        // closes a dozen small files (measured on the local stack: closes of 38-994 ms became 15-180 ms; the next
        // freshness run had p95 19.9 s against 26-49 s before). Polling sooner changes nothing else.
        String closePoll = "spark.hadoop.dfs.client.block.write.locateFollowingBlock.initial.delay.ms";
        if (!given.contains(closePoll)) builder.config(closePoll, "20");
        SparkSession spark = builder.getOrCreate();
        if (!cfg.sparkLogLevel().equals("KEEP")) spark.sparkContext().setLogLevel(cfg.sparkLogLevel());
        return spark;
    }

    /** A failure's text for the one-line progress file: its first 400 characters. */
    static String shorten(String why) {
        String oneLine = why.replaceAll("\\s+", " ");
        return oneLine.length() <= 400 ? oneLine : oneLine.substring(0, 400) + "...";
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
