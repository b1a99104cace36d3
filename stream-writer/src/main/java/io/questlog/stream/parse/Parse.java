package io.questlog.stream.parse;

import static io.questlog.contract.EnvelopeSchema.ACCEPT;
import static io.questlog.contract.EnvelopeSchema.ATTRIBUTES;
import static io.questlog.contract.EnvelopeSchema.BROWSER_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_FAMILY;
import static io.questlog.contract.EnvelopeSchema.DEVICE_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_ID;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.EnvelopeSchema.HEADERS;
import static io.questlog.contract.EnvelopeSchema.HOST;
import static io.questlog.contract.EnvelopeSchema.OS_FAMILY;
import static io.questlog.contract.EnvelopeSchema.RECEIVED_TS;
import static io.questlog.contract.EnvelopeSchema.SCHEMA_VERSION_FIELD;
import static io.questlog.contract.EnvelopeSchema.USER_AGENT;
import static io.questlog.contract.EnvelopeSchema.USER_ID;
import static io.questlog.contract.TableCatalog.ERROR;
import static io.questlog.contract.TableCatalog.KAFKA_OFFSET;
import static io.questlog.contract.TableCatalog.KAFKA_PARTITION;
import static io.questlog.contract.TableCatalog.RAW;
import static io.questlog.contract.TableCatalog.RAW_EVENT;
import static io.questlog.contract.TableCatalog.TOPIC;
import io.questlog.contract.EnvelopeSchema;
import io.questlog.contract.Field;
import io.questlog.contract.TableCatalog;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.date_from_unix_date;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.from_json;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.ltrim;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.when;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF0;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Kafka records (the Kafka source's columns: value, topic, partition, offset, timestamp) into event
 * rows and bad rows. {@link #classify} parses once; {@link #events} and {@link #bad} split the result
 * into the two tables' exact column lists. Pure functions: they work the same on static and
 * streaming DataFrames and do not depend on the session time zone.
 */
public final class Parse {
    private static final String CORRUPT = "_corrupt_record";

    /** The JSON envelope as ingest-api sends it to Kafka: the contract's fields (times as epoch ms), plus the parser's own. */
    public static final StructType ENVELOPE = envelope();

    /** Columns of {@code events} and every routed table, in file order; {@code dt} is the partition. */
    public static final List<String> EVENT_COLUMNS = TableCatalog.EVENT_COLUMNS.stream().map(Field::name).toList();

    /** Columns of {@code bad_events}, in file order; {@code dt} is the partition. */
    public static final List<String> BAD_COLUMNS = TableCatalog.BAD_EVENTS_TABLE.columnNames();

    public static final String DT = TableCatalog.PARTITION;

    /** Column added by {@link #markLate}, and the {@code error} of a late event's row in bad_events. */
    public static final String LATE = "late";

    /** Epoch ms accepted as event times: 1970-01-01 up to the end of year 9999. */
    static final long MAX_EPOCH_MS = 253_402_300_799_999L;

    private static final long DAY_MS = 86_400_000L;

    private Parse() {
    }

    private static StructType envelope() {
        StructType t = new StructType();
        for (Field f : EnvelopeSchema.FIELDS) {
            t = t.add(f.name(), switch (f.type()) {
                case STRING -> DataTypes.StringType;
                case INT -> DataTypes.IntegerType;
                case BIGINT, TIMESTAMP -> DataTypes.LongType;
                case STRING_MAP -> DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType);
            });
        }
        return t.add(CORRUPT, DataTypes.StringType);
    }

    /**
     * Parses every Kafka record. The result has the event columns, {@code dt}, and {@code error}
     * (null for a good event, else the reason), {@code topic} and {@code kafka_ts} (the record's
     * Kafka timestamp) for bad rows. For a bad row {@code dt} is the UTC date of {@code kafka_ts}.
     */
    public static Dataset<Row> classify(Dataset<Row> kafkaRows) {
        Column raw = col("value").cast("string");
        Dataset<Row> json = kafkaRows.select(
                raw.as(RAW_EVENT),
                col(TOPIC),
                col("partition").cast("int").as(KAFKA_PARTITION),
                col("offset").cast("long").as(KAFKA_OFFSET),
                col("timestamp").as("kafka_ts"),
                from_json(raw, ENVELOPE, Map.of("mode", "PERMISSIVE", "columnNameOfCorruptRecord", CORRUPT)).as("e"));

        Column e = col("e");
        Column eventTs = e.getField(EVENT_TS);
        Column rawEvent = col(RAW_EVENT);
        // each check once; a good record passes them all in the first branch, so the reasons (the list of missing
        // fields, a trimmed copy of the record) are built for bad records only
        Column isObject = rawEvent.startsWith("{").or(ltrim(rawEvent).startsWith("{"));
        Column parsed = e.isNotNull().and(e.getField(CORRUPT).isNull());
        Column anyMissing = blank(e.getField(EVENT_ID)).or(blank(e.getField(EVENT_TYPE)))
                .or(blank(e.getField(USER_ID))).or(eventTs.isNull());
        Column inRange = eventTs.between(0, MAX_EPOCH_MS);
        Column missing = concat_ws(", ",
                when(blank(e.getField(EVENT_ID)), lit(EVENT_ID)),
                when(blank(e.getField(EVENT_TYPE)), lit(EVENT_TYPE)),
                when(blank(e.getField(USER_ID)), lit(USER_ID)),
                when(eventTs.isNull(), lit(EVENT_TS)));
        Column error = when(isObject.and(parsed).and(not(anyMissing)).and(inRange), lit(null).cast("string"))
                .when(rawEvent.isNull(), lit("empty record value"))
                .when(not(isObject), lit("not a JSON object"))
                .when(not(parsed), lit("malformed JSON or a field of the wrong type"))
                .when(anyMissing, concat(lit("missing required field(s): "), missing))
                .when(not(inRange), concat(lit("event_ts out of range: "), eventTs.cast("string")));

        Column receivedTs = e.getField(RECEIVED_TS);
        return json.withColumn(ERROR, error).select(
                e.getField(EVENT_ID).as(EVENT_ID),
                e.getField(EVENT_TYPE).as(EVENT_TYPE),
                e.getField(USER_ID).as(USER_ID),
                millisToTimestamp(eventTs).as(EVENT_TS),
                millisToTimestamp(receivedTs).as(RECEIVED_TS),
                e.getField(HOST).as(HOST),
                e.getField(USER_AGENT).as(USER_AGENT),
                e.getField(ACCEPT).as(ACCEPT),
                e.getField(HEADERS).as(HEADERS),
                e.getField(BROWSER_FAMILY).as(BROWSER_FAMILY),
                e.getField(OS_FAMILY).as(OS_FAMILY),
                e.getField(DEVICE_FAMILY).as(DEVICE_FAMILY),
                e.getField(ATTRIBUTES).as(ATTRIBUTES),
                e.getField(SCHEMA_VERSION_FIELD).as(SCHEMA_VERSION_FIELD),
                col(RAW_EVENT),
                col(KAFKA_PARTITION),
                col(KAFKA_OFFSET),
                millisToTimestamp(e.getField(DEVICE_TS)).as(DEVICE_TS),
                col(ERROR),
                col(TOPIC),
                col("kafka_ts"),
                when(col(ERROR).isNull(), utcDate(eventTs))
                        .otherwise(utcDate(unix_millis(col("kafka_ts")))).as(DT));
    }

    /** Good rows: {@link #EVENT_COLUMNS} then {@code dt}. */
    public static Dataset<Row> events(Dataset<Row> classified) {
        return classified.filter(col(ERROR).isNull()).select(columns(EVENT_COLUMNS));
    }

    /** Bad rows: {@link #BAD_COLUMNS} then {@code dt}. */
    public static Dataset<Row> bad(Dataset<Row> classified) {
        return classified.filter(col(ERROR).isNotNull()).select(
                col(RAW_EVENT).as(RAW), col(ERROR), col(TOPIC), col(KAFKA_PARTITION),
                col(KAFKA_OFFSET), col("kafka_ts").as(RECEIVED_TS), col(DT));
    }

    /**
     * Adds boolean {@code late}: true for a good event whose event_ts is before {@code watermarkMs}
     * (the sessions' watermark: newest event time seen in earlier batches minus the delay), which
     * sessions can no longer take. Such an event is still a row of {@code events}, and also gets a
     * {@code bad_events} row with error {@code late} (see {@link io.questlog.stream.route.FanOut}). With no watermark yet, nothing is late.
     */
    public static Dataset<Row> markLate(Dataset<Row> classified, OptionalLong watermarkMs) {
        // Not lit(watermark): a literal is compiled into the generated code of the whole parsing stage, so every
        // batch (each with its own watermark) compiled that code, and the JIT compiled it again (about 1.6 s of
        // compiler CPU per batch, measured). A UDF's value reaches the same code by reference.
        long wm = watermarkMs.orElse(Long.MIN_VALUE);
        Column watermark = udf((UDF0<Long>) () -> wm, DataTypes.LongType).apply();
        Column late = col(ERROR).isNull().and(unix_millis(col(EVENT_TS)).lt(watermark));
        return classified.withColumn(LATE, late);
    }

    /**
     * Spark's streaming de-duplication, for bench/stream's per-sink baseline and the test that the job removes
     * this operator's old state (the job uses
     * {@link io.questlog.stream.dedup.DropSeenEvents}, with no shuffle and no state store): drops repeated
     * (user_id, event_id) pairs (a client retry, a producer resend) that reach Kafka within {@code horizon} of each other, keeping the first. The horizon runs on the Kafka record timestamp, not event_ts,
     * so a back-dated event is never dropped as late from {@code events}. Bad rows are never dropped.
     */
    public static Dataset<Row> dropDuplicateEvents(Dataset<Row> classified, Duration horizon) {
        // (user_id, event_id): clients number their events 1, 2, 3..., so an id alone collides across users
        Column key = when(col(ERROR).isNull(),
                        concat(lit("e:"), length(col(USER_ID)).cast("string"), lit(":"), col(USER_ID), col(EVENT_ID)))
                .otherwise(concat_ws(":", lit("bad"), col(TOPIC), col(KAFKA_PARTITION), col(KAFKA_OFFSET)));
        return classified.withColumn("dedup_key", coalesce(key, lit("bad")))
                .withWatermark("kafka_ts", horizon.toMillis() + " milliseconds")
                .dropDuplicatesWithinWatermark("dedup_key")
                .drop("dedup_key");
    }

    /** {@code yyyy-MM-dd} of epoch ms in UTC, whatever the session time zone. */
    public static Column utcDate(Column epochMs) {
        return date_from_unix_date(floor(epochMs.divide(DAY_MS)).cast("int")).cast("string");
    }

    private static Column millisToTimestamp(Column epochMs) {
        return when(epochMs.between(0, MAX_EPOCH_MS), timestamp_millis(epochMs));
    }

    private static Column blank(Column s) {
        return s.isNull().or(trim(s).equalTo(""));
    }

    private static Column[] columns(List<String> names) {
        return java.util.stream.Stream.concat(names.stream(), java.util.stream.Stream.of(DT))
                .map(n -> col(n)).toArray(Column[]::new);
    }
}
