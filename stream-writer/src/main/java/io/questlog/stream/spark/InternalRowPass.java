package io.questlog.stream.spark;

import java.io.Serializable;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * A task's pass over its rows in Spark's own format (Catalyst's {@link InternalRow}): reads the few columns it
 * needs by index and passes rows on or leaves them out, unchanged. {@code Dataset.mapPartitions} with a Row
 * encoder would turn every row into Java objects and back (each string decoded and encoded again, each map
 * copied): about a tenth of the write job's CPU, measured. A pass must not keep a row it has passed on: Spark
 * reuses the row object for the next one.
 */
@FunctionalInterface
public interface InternalRowPass extends Serializable {
    Iterator<InternalRow> apply(Iterator<InternalRow> rows) throws Exception;

    /** This pass, then {@code next} over what it passed on. */
    default InternalRowPass then(InternalRowPass next) {
        return rows -> next.apply(apply(rows));
    }

    /**
     * {@code df} through {@code pass}, task by task, with the same schema and partitions (so a partition's file
     * names stay what they were). The way Delta Lake reaches the same rows: the plan's RDD, then a DataFrame over it.
     */
    static Dataset<Row> over(Dataset<Row> df, InternalRowPass pass) {
        org.apache.spark.sql.classic.Dataset<Row> classic = (org.apache.spark.sql.classic.Dataset<Row>) df;
        RDD<InternalRow> passed = classic.queryExecution().toRdd().toJavaRDD()
                .mapPartitions((FlatMapFunction<Iterator<InternalRow>, InternalRow>) pass::apply).rdd();
        return classic.sparkSession().internalCreateDataFrame(passed, df.schema(), false);
    }
}
