package io.questlog.stream.app;

import io.questlog.stream.config.StreamConfig;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Before the query starts: does Kafka still hold the offsets the checkpoint resumes from? When
 * retention deleted them while the job was down, Spark would either fail on every restart
 * (failOnDataLoss=true, a crash loop) or skip silently; this names the gap per partition first, so
 * QUESTLOG_ON_DATA_LOSS can be applied knowingly.
 */
final class DataLoss {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DataLoss() {
    }

    /** One line per partition whose resume offset Kafka no longer holds; empty when nothing is lost. */
    static List<String> gaps(Map<Integer, Long> resumeAt, Map<Integer, Long> earliestKept) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Integer, Long> e : new TreeMap<>(resumeAt).entrySet()) {
            Long earliest = earliestKept.get(e.getKey());
            if (earliest != null && earliest > e.getValue()) {
                out.add("partition " + e.getKey() + ": the checkpoint resumes at offset " + e.getValue()
                        + ", Kafka's earliest is " + earliest + " (" + (earliest - e.getValue()) + " records gone)");
            }
        }
        return out;
    }

    /**
     * The topic's offsets in a Spark offsets-log file ({@code v1}, a metadata line, then one JSON line
     * per source such as {@code {"events":{"0":42,"1":17}}}).
     */
    static Map<Integer, Long> offsetsIn(String offsetsFile, String topic) throws IOException {
        Map<Integer, Long> out = new TreeMap<>();
        String[] lines = offsetsFile.split("\n");
        for (int i = 2; i < lines.length; i++) {
            String line = lines[i].trim();
            if (!line.startsWith("{")) continue;
            JsonNode t = JSON.readTree(line).get(topic);
            if (t == null) continue;
            t.fields().forEachRemaining(p -> out.put(Integer.parseInt(p.getKey()), p.getValue().asLong()));
        }
        return out;
    }

    /**
     * Where the query resumes: the end offsets of its last committed batch (empty without a checkpoint).
     * A batch that started but did not commit is replayed from that same point.
     */
    static Map<Integer, Long> resumeOffsets(Configuration conf, String checkpoint, String topic) throws IOException {
        Path commits = new Path(checkpoint, "commits");
        FileSystem fs = commits.getFileSystem(conf);
        long last = lastBatch(fs, commits, "\\d+");
        if (last < 0) return Map.of();
        Path offsets = new Path(new Path(checkpoint, "offsets"), Long.toString(last));
        if (!fs.exists(offsets)) return Map.of();
        try (var in = fs.open(offsets)) {
            return offsetsIn(new String(in.readAllBytes(), StandardCharsets.UTF_8), topic);
        }
    }

    /** The highest number among the names in {@code dir} matching {@code pattern} (batch ids); -1 when none. */
    static long lastBatch(FileSystem fs, Path dir, String pattern) throws IOException {
        if (!fs.exists(dir)) return -1;
        long last = -1;
        for (FileStatus f : fs.listStatus(dir)) {
            String n = f.getPath().getName();
            if (n.matches(pattern)) last = Math.max(last, Long.parseLong(n));
        }
        return last;
    }

    static Map<Integer, Long> earliest(String bootstrap, String topic, Iterable<Integer> partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10000); // must not exceed the default API timeout
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15000);
        Map<TopicPartition, OffsetSpec> ask = new java.util.HashMap<>();
        for (int part : partitions) ask.put(new TopicPartition(topic, part), OffsetSpec.earliest());
        Map<Integer, Long> out = new TreeMap<>();
        try (Admin admin = Admin.create(p)) {
            admin.listOffsets(ask).all().get(20, TimeUnit.SECONDS)
                    .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
        }
        return out;
    }

    /** The gaps for the tables query's checkpoint against the live broker; empty when nothing is lost. */
    static List<String> check(Configuration conf, StreamConfig cfg, String query) throws Exception {
        Map<Integer, Long> resume = resumeOffsets(conf, cfg.checkpoint(query), cfg.topic());
        if (resume.isEmpty()) return List.of();
        return gaps(resume, earliest(cfg.kafkaBootstrap(), cfg.topic(), resume.keySet()));
    }

    /** Spark's own failure when a running query finds its offsets gone (failOnDataLoss=true). */
    static boolean isDataLoss(Throwable e) {
        return ExceptionUtils.getThrowableList(e).stream().map(t -> String.valueOf(t.getMessage()))
                .anyMatch(m -> m.contains("data may have been lost") || m.contains("failOnDataLoss") || m.contains("DATA_LOSS"));
    }
}
