// bench/stream's physical limit, run as a single-file program against Spark's classpath and stream-writer.jar (for
// kafka-clients and the contract; no Spark class is used):
//   java -cp SPARK_CLASSPATH:stream-writer.jar PhysicalLimit.java BOOTSTRAP N OUT [THREADS] [FLUSH]
// Reads topic events from the beginning with plain KafkaConsumers, parses each envelope with Jackson, and writes the
// rows of events and of every routed table (QUESTLOG_ROUTES, default purchase_sword:sword_purchases,
// join_guild:guild_joins) as Parquet with parquet-hadoop under OUT/<table>/dt=YYYY-MM-DD/: OUT is a local folder,
// or hdfs://... to write where the job writes. What the job does and this does not: no de-duplication, no
// bad_events rows (bad records are only counted), no sessions, no staging and rename, no Hive/Trino registration.
// THREADS (default: the cores) consumers, each assigned every THREADS-th partition: one core each for
// poll + parse + write, with no hand-off between threads (the job's local[2] runs one task per core the same way).
// FLUSH (default 500000 / THREADS): each thread closes its files after that many records, so one file per dt per
// table per thread per 500,000 records, as a job batch (QUESTLOG_MAX_OFFSETS_PER_TRIGGER) writes one per dt per task.
// Prints one line: events/s over the wall time (consumers created .. last file closed) and the thread-seconds split.
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.questlog.contract.EnvelopeSchema;
import io.questlog.contract.Field;
import io.questlog.contract.Routes;
import io.questlog.contract.TableCatalog;
import io.questlog.contract.Type;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

public class PhysicalLimit {
    static final List<Field> COLS = TableCatalog.EVENT_COLUMNS;
    static final List<Field> ENV = EnvelopeSchema.FIELDS;
    static final Map<String, Integer> ENV_INDEX = new HashMap<>();
    static {
        for (int i = 0; i < ENV.size(); i++) ENV_INDEX.put(ENV.get(i).name(), i);
    }
    static final int I_ID = ENV_INDEX.get(EnvelopeSchema.EVENT_ID), I_TYPE = ENV_INDEX.get(EnvelopeSchema.EVENT_TYPE),
            I_USER = ENV_INDEX.get(EnvelopeSchema.USER_ID), I_TS = ENV_INDEX.get(EnvelopeSchema.EVENT_TS);
    static final long MAX_EPOCH_MS = 253_402_300_799_999L; // the job's range check (Parse.MAX_EPOCH_MS)
    static final long DAY_MS = 86_400_000L;
    static final JsonFactory JSON = new JsonFactory();

    public static void main(String[] a) throws Exception {
        String bootstrap = a[0];
        long n = Long.parseLong(a[1]);
        String out = a[2];
        int threads = a.length > 3 ? Integer.parseInt(a[3]) : Runtime.getRuntime().availableProcessors();
        long flush = a.length > 4 ? Long.parseLong(a[4]) : 500_000 / threads;
        String spec = System.getenv().getOrDefault("QUESTLOG_ROUTES", Routes.DEFAULT);
        Routes routes = Routes.parse(spec.isBlank() ? Routes.DEFAULT : spec);
        MessageType schema = schema();

        List<TopicPartition> parts;
        try (var c = consumer(bootstrap)) {
            parts = c.partitionsFor("events").stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        }
        long t0 = System.nanoTime();
        List<Worker> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<TopicPartition> mine = new ArrayList<>();
            for (int i = t; i < parts.size(); i += threads) mine.add(parts.get(i));
            workers.add(new Worker(t, mine, bootstrap, out, flush, routes, schema));
        }
        workers.forEach(Thread::start);
        for (Worker w : workers) {
            w.join();
            if (w.failure != null) throw w.failure;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long events = 0, bad = 0, routed = 0, files = 0;
        double consume = 0, parse = 0, write = 0;
        for (Worker w : workers) {
            events += w.records; bad += w.bad; routed += w.routed; files += w.files;
            consume += w.consumeNs / 1e9; parse += w.parseNs / 1e9; write += w.writeNs / 1e9;
        }
        // the rate divides by N, as the job's does: the topic must hold exactly the preloaded events
        if (events != n) throw new IllegalStateException("read " + events + " records, expected " + n);
        System.out.printf("limit: events=%d seconds=%.1f events_per_s=%d threads=%d partitions=%d routed_rows=%d bad=%d files=%d"
                        + " thread_s consume=%.1f parse=%.1f write=%.1f out=%s%n",
                events, wall, Math.round(events / wall), threads, parts.size(), routed, bad, files, consume, parse, write, out);
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", "questlog-bench-limit"); // own group; partitions are assigned, nothing is committed
        p.put("enable.auto.commit", "false");
        p.put("auto.offset.reset", "earliest");
        // large fetches: the limit should wait on the broker as little as possible
        p.put("max.poll.records", "10000");
        p.put("max.partition.fetch.bytes", String.valueOf(16 << 20));
        p.put("fetch.max.bytes", String.valueOf(64 << 20));
        // bytes, not Strings: raw_event is the record's UTF-8 as is, and Jackson parses bytes directly
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The events table's columns as Spark writes them: nullable, strings UTF-8, timestamps INT64 micros, maps as MAP. */
    static MessageType schema() {
        StringBuilder s = new StringBuilder("message spark_schema {\n");
        for (Field f : COLS) {
            s.append(switch (f.type()) {
                case STRING -> "optional binary " + f.name() + " (STRING);\n";
                case INT -> "optional int32 " + f.name() + ";\n";
                case BIGINT -> "optional int64 " + f.name() + ";\n";
                case TIMESTAMP -> "optional int64 " + f.name() + " (TIMESTAMP(MICROS,true));\n";
                case STRING_MAP -> "optional group " + f.name() + " (MAP) {\n repeated group key_value {\n"
                        + "  required binary key (STRING);\n  optional binary value (STRING);\n }\n}\n";
            });
        }
        return MessageTypeParser.parseMessageType(s.append("}").toString());
    }

    /** One thread: its own consumer, parser and open files; nothing shared but the counters it reports at the end. */
    static final class Worker extends Thread {
        final int id;
        final List<TopicPartition> parts;
        final String bootstrap, out;
        final long flush;
        final Routes routes;
        final MessageType schema;
        final Map<String, Map<String, ParquetWriter<Object[]>>> open = new HashMap<>(); // table -> dt -> file
        final Map<Long, String> dts = new HashMap<>();
        long records, bad, routed, files, consumeNs, parseNs, writeNs, sinceFlush, flushes;
        Exception failure;

        Worker(int id, List<TopicPartition> parts, String bootstrap, String out, long flush, Routes routes, MessageType schema) {
            super("limit-" + id);
            this.id = id; this.parts = parts; this.bootstrap = bootstrap; this.out = out; this.flush = flush;
            this.routes = routes; this.schema = schema;
        }

        @Override
        public void run() {
            try (var c = consumer(bootstrap)) {
                c.assign(parts);
                c.seekToBeginning(parts);
                Map<TopicPartition, Long> end = c.endOffsets(parts); // what was preloaded; read up to here
                List<Object[]> rows = new ArrayList<>();
                List<String> dtOf = new ArrayList<>();
                while (!caughtUp(c, end)) {
                    long t = System.nanoTime();
                    ConsumerRecords<byte[], byte[]> batch = c.poll(Duration.ofMillis(500));
                    long t1 = System.nanoTime();
                    rows.clear();
                    dtOf.clear();
                    for (ConsumerRecord<byte[], byte[]> r : batch) {
                        Object[] row = row(r);
                        if (row == null) { bad++; continue; }
                        rows.add(row);
                        dtOf.add(dt((Long) row[EVT_TS_COL] / 1000));
                    }
                    long t2 = System.nanoTime();
                    for (int i = 0; i < rows.size(); i++) {
                        Object[] row = rows.get(i);
                        writer(TableCatalog.EVENTS, dtOf.get(i)).write(row);
                        for (String table : routes.tablesFor((String) row[EVT_TYPE_COL])) {
                            writer(table, dtOf.get(i)).write(row);
                            routed++;
                        }
                    }
                    records += batch.count();
                    sinceFlush += batch.count();
                    if (sinceFlush >= flush) closeAll();
                    long t3 = System.nanoTime();
                    consumeNs += t1 - t; parseNs += t2 - t1; writeNs += t3 - t2;
                }
                long t = System.nanoTime();
                closeAll();
                writeNs += System.nanoTime() - t;
            } catch (Exception e) {
                failure = e;
            }
        }

        boolean caughtUp(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
            for (TopicPartition p : parts) if (c.position(p) < end.get(p)) return false;
            return true;
        }

        String dt(long epochMs) {
            return dts.computeIfAbsent(Math.floorDiv(epochMs, DAY_MS), d -> LocalDate.ofEpochDay(d).toString());
        }

        ParquetWriter<Object[]> writer(String table, String dt) throws Exception {
            var byDt = open.computeIfAbsent(table, t -> new HashMap<>());
            ParquetWriter<Object[]> w = byDt.get(dt);
            if (w == null) {
                String file = out + "/" + table + "/" + TableCatalog.PARTITION + "=" + dt + "/part-" + id + "-" + flushes + ".parquet";
                OutputFile f;
                if (file.contains("://")) {
                    f = HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file), new Configuration());
                } else {
                    java.nio.file.Path p = java.nio.file.Path.of(file);
                    java.nio.file.Files.createDirectories(p.getParent());
                    f = new LocalOutputFile(p); // no Hadoop local file system: it would add a .crc file to every file
                }
                // Spark's settings for the job's files: Snappy, 128 MB row groups, 1 MB pages, Parquet 1.0 pages,
                // and the job's own: no dictionary for the columns that are all distinct (ParquetPublisher.NO_DICTIONARY)
                w = new Builder(f, schema).withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                        .withCompressionCodec(CompressionCodecName.SNAPPY)
                        .withDictionaryEncoding(TableCatalog.RAW_EVENT, false)
                        .withDictionaryEncoding(EnvelopeSchema.EVENT_ID, false)
                        .build();
                byDt.put(dt, w);
                files++;
            }
            return w;
        }

        void closeAll() throws Exception {
            for (var byDt : open.values()) for (var w : byDt.values()) w.close();
            open.clear();
            sinceFlush = 0;
            flushes++;
        }
    }

    // where each events column comes from: an envelope field, or the record itself
    static final int FROM_RAW = -1, FROM_PARTITION = -2, FROM_OFFSET = -3;
    static final int[] SOURCE = COLS.stream().mapToInt(f -> switch (f.name()) {
        case TableCatalog.RAW_EVENT -> FROM_RAW;
        case TableCatalog.KAFKA_PARTITION -> FROM_PARTITION;
        case TableCatalog.KAFKA_OFFSET -> FROM_OFFSET;
        default -> ENV_INDEX.get(f.name());
    }).toArray();
    static final int EVT_TS_COL = column(EnvelopeSchema.EVENT_TS), EVT_TYPE_COL = column(EnvelopeSchema.EVENT_TYPE);

    static int column(String name) {
        for (int i = 0; i < COLS.size(); i++) if (COLS.get(i).name().equals(name)) return i;
        throw new IllegalArgumentException(name);
    }

    /** The record as an events row (values in column order, timestamps in micros), or null where the job would call it bad. */
    static Object[] row(ConsumerRecord<byte[], byte[]> r) {
        Object[] env = envelope(r.value());
        if (env == null || blank(env[I_ID]) || blank(env[I_TYPE]) || blank(env[I_USER])) return null;
        if (!(env[I_TS] instanceof Long ts) || ts < 0 || ts > MAX_EPOCH_MS) return null;
        Object[] row = new Object[COLS.size()];
        for (int i = 0; i < row.length; i++) {
            int s = SOURCE[i];
            row[i] = switch (s) {
                case FROM_RAW -> r.value();
                case FROM_PARTITION -> r.partition();
                case FROM_OFFSET -> r.offset();
                default -> env[s] instanceof Long ms && ENV.get(s).type() == Type.TIMESTAMP ? ms * 1000 : env[s];
            };
        }
        return row;
    }

    static boolean blank(Object s) {
        return !(s instanceof String str) || str.isBlank();
    }

    /** The envelope's fields by EnvelopeSchema's order; null for what from_json would reject (not an object, wrong types). */
    static Object[] envelope(byte[] json) {
        Object[] v = new Object[ENV.size()];
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                Integer i = ENV_INDEX.get(p.currentName());
                JsonToken t = p.nextToken();
                if (i == null) { p.skipChildren(); continue; }
                if (t == JsonToken.VALUE_NULL) continue;
                switch (ENV.get(i).type()) {
                    case STRING -> { if (!t.isScalarValue()) return null; v[i] = p.getText(); }
                    case INT -> { if (t != JsonToken.VALUE_NUMBER_INT) return null; v[i] = p.getIntValue(); }
                    case BIGINT, TIMESTAMP -> { if (t != JsonToken.VALUE_NUMBER_INT) return null; v[i] = p.getLongValue(); }
                    case STRING_MAP -> {
                        if (t != JsonToken.START_OBJECT) return null;
                        List<String> kv = new ArrayList<>(); // key, value, key, value...
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            kv.add(p.currentName());
                            JsonToken vt = p.nextToken();
                            if (!vt.isScalarValue()) return null;
                            kv.add(vt == JsonToken.VALUE_NULL ? null : p.getText());
                        }
                        v[i] = kv;
                    }
                }
            }
            return v;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    static final class Builder extends ParquetWriter.Builder<Object[], Builder> {
        final MessageType schema;

        Builder(OutputFile f, MessageType schema) {
            super(f);
            this.schema = schema;
            withConf(new Configuration());
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Object[]> getWriteSupport(Configuration conf) {
            return new RowWrite(schema);
        }
    }

    /** Writes a row straight to the record consumer: no intermediate Group objects. */
    static final class RowWrite extends WriteSupport<Object[]> {
        final MessageType schema;
        RecordConsumer rc;

        RowWrite(MessageType schema) {
            this.schema = schema;
        }

        @Override
        public WriteContext init(Configuration conf) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer rc) {
            this.rc = rc;
        }

        @Override
        @SuppressWarnings("unchecked")
        public void write(Object[] row) {
            rc.startMessage();
            for (int i = 0; i < row.length; i++) {
                Object v = row[i];
                if (v == null) continue;
                String name = COLS.get(i).name();
                rc.startField(name, i);
                switch (COLS.get(i).type()) {
                    case STRING -> rc.addBinary(v instanceof byte[] b ? Binary.fromConstantByteArray(b) : Binary.fromString((String) v));
                    case INT -> rc.addInteger((Integer) v);
                    case BIGINT, TIMESTAMP -> rc.addLong((Long) v);
                    case STRING_MAP -> {
                        List<String> kv = (List<String>) v;
                        rc.startGroup();
                        if (!kv.isEmpty()) {
                            rc.startField("key_value", 0);
                            for (int k = 0; k < kv.size(); k += 2) {
                                rc.startGroup();
                                rc.startField("key", 0);
                                rc.addBinary(Binary.fromString(kv.get(k)));
                                rc.endField("key", 0);
                                if (kv.get(k + 1) != null) {
                                    rc.startField("value", 1);
                                    rc.addBinary(Binary.fromString(kv.get(k + 1)));
                                    rc.endField("value", 1);
                                }
                                rc.endGroup();
                            }
                            rc.endField("key_value", 0);
                        }
                        rc.endGroup();
                    }
                }
                rc.endField(name, i);
            }
            rc.endMessage();
        }
    }
}
