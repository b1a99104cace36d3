package io.questlog.stream.app;

import static io.questlog.contract.EnvelopeSchema.USER_ID;
import io.questlog.contract.TableCatalog;
import static org.apache.spark.sql.functions.col;

import io.questlog.contract.Env;
import io.questlog.stream.config.StreamConfig;
import io.questlog.stream.pipeline.Pipeline;
import io.questlog.stream.sessions.BatchSessions;
import io.questlog.stream.sessions.Sessions;
import java.io.IOException;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * `./questlog sessions --batch`: recomputes sessions from the `events` table with a Spark batch job and compares
 * them with the streaming `sessions` table on closed sessions ({@link BatchSessions}).
 * Exit 0 when they agree, 1 on any difference.
 */
public final class CompareSessions {
    private CompareSessions() {}

    public static void main(String[] args) throws IOException {
        StreamConfig cfg = StreamConfig.from(Env.system());
        SparkSession.Builder builder = Pipeline.configure(SparkSession.builder().appName("questlog-sessions-batch"));
        if (!new SparkConf().contains("spark.master")) builder.master(cfg.sparkMaster());
        SparkSession spark = builder.config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        Dataset<Row> events = BatchSessions.table(spark, cfg.warehouse(), TableCatalog.EVENTS);
        Dataset<Row> stream = BatchSessions.table(spark, cfg.warehouse(), TableCatalog.SESSIONS).cache();
        Dataset<Row> batch = BatchSessions.closedBatchSessions(events, cfg.sessionGap(), cfg.watermark()).cache();
        BatchSessions.Result r = BatchSessions.compare(stream, batch);
        System.out.printf("sessions compared (gap %s, watermark %s): matched=%d only-stream=%d only-batch=%d%n",
                cfg.sessionGap(), cfg.watermark(), r.matched(), r.onlyStream(), r.onlyBatch());
        if (!r.agree()) {
            Column key = col(USER_ID);
            System.out.println("examples only in the stream:");
            String[] cols = Sessions.COLUMNS.toArray(String[]::new);
            stream.selectExpr(cols).exceptAll(batch.selectExpr(cols)).orderBy(key).show(5, false);
            System.out.println("examples only in the batch recompute:");
            batch.selectExpr(cols).exceptAll(stream.selectExpr(cols)).orderBy(key).show(5, false);
        }
        spark.stop();
        System.exit(r.agree() ? 0 : 1);
    }
}
