package io.questlog.stream.batch;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.input_file_name;
import static org.apache.spark.sql.functions.lag;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.ltrim;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Sessions over a dataset of NDJSON user events (the session-counting challenge): a user's session ends when the
 * next event is more than the gap later, the streaming job's rule; each session counts under its first event's
 * group value. Pure functions over DataFrames: {@link #parse} splits lines into events and rejects,
 * {@link #countByGroup} counts.
 */
public final class DatasetSessions {
    /** Which JSON fields hold the user, the time (epoch ms) and the group. */
    public record Keys(String user, String timestamp, String group) {}

    /** The group of events whose line lacks the group key. */
    public static final String NO_GROUP = "unknown";
    private static final String CORRUPT = "_corrupt_record";

    private DatasetSessions() {
    }

    /**
     * Lines (one column {@code value}, as {@code spark.read().text()} gives) into rows of {@code user}, {@code ts},
     * {@code grp}, {@code pos} (read order, for ties), {@code line}, {@code file}, and {@code error}: null for an
     * event, else why the line is rejected. Blank lines are dropped: they are not events.
     */
    public static Dataset<Row> parse(Dataset<Row> lines, Keys k) {
        StructType schema = new StructType()
                .add(k.user(), DataTypes.StringType)
                .add(k.timestamp(), DataTypes.LongType)
                .add(k.group(), DataTypes.StringType)
                .add(CORRUPT, DataTypes.StringType);
        Column line = col("value");
        Column j = from_json(line, schema, Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT));
        Dataset<Row> parsed = lines.filter(trim(line).notEqual(""))
                .select(line.as("line"), input_file_name().as("file"), monotonically_increasing_id().as("pos"), j.as("j"));
        Column user = col("j").getField(k.user());
        Column ts = col("j").getField(k.timestamp());
        Column error = when(not(ltrim(col("line")).startsWith("{")), lit("not a JSON object"))
                .when(col("j").isNull().or(col("j").getField(CORRUPT).isNotNull()),
                        lit("malformed JSON, or " + k.timestamp() + " not an integer (epoch ms)"))
                .when(user.isNull().or(trim(user).equalTo("")), lit("missing " + k.user()))
                .when(ts.isNull(), lit("missing " + k.timestamp()));
        return parsed.select(user.as("user"), ts.as("ts"),
                coalesce(col("j").getField(k.group()), lit(NO_GROUP)).as("grp"),
                col("pos"), col("line"), col("file"), error.as("error"));
    }

    /**
     * One pass over parsed lines: for events ({@code error} null), sessions and events per group value; for rejected
     * lines, their count per reason ({@code grp} null). Columns {@code error, grp, sessions, events}. A row starts a
     * session when it is its user's first or comes more than {@code gapMs} after the user's previous one (a pause of
     * exactly the gap continues the session); only each session's first row is counted, so no session ids are built.
     * Events of one user at the same millisecond are ordered by group value, so the answer does not depend on how
     * Spark split the files (the streaming job also takes the smallest families at a tie).
     */
    public static Dataset<Row> countByGroup(Dataset<Row> parsed, long gapMs) {
        Column ok = col("error").isNull();
        // rejected lines sit in windows of their own, so they never split or join a user's sessions
        Column previous = lag(col("ts"), 1).over(Window.partitionBy(col("user"), ok).orderBy("ts", "grp", "pos"));
        Column starts = ok.and(col("previous").isNull().or(col("ts").minus(col("previous")).gt(gapMs)));
        return parsed.withColumn("previous", previous)
                .groupBy(col("error"), when(ok, col("grp")).as("grp"))
                .agg(sum(when(starts, 1L).otherwise(0L)).as("sessions"), count(lit(1)).as("events"));
    }

    /** {@code {"group":count,...}}, keys sorted: the challenge's sessions_by_KEY.json. */
    public static String json(Map<String, Long> counts) {
        StringBuilder b = new StringBuilder("{");
        new TreeMap<>(counts).forEach((g, n) -> {
            if (b.length() > 1) b.append(',');
            b.append(quote(g)).append(':').append(n);
        });
        return b.append('}').toString();
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
