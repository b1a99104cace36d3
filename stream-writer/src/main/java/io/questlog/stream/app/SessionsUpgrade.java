package io.questlog.stream.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.questlog.stream.sessions.OpenSessions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Upgrading from the one-query version (before 2026-12-02), whose tables query kept the open sessions on the driver,
 * one version per batch: {@code CHECKPOINTS/tables/questlog-sessions/<batch, 12 digits>/open.jsonl}. On the sessions
 * query's first start those sessions become its initial state, and it reads Kafka from where that store stopped: no
 * open session is lost, and no closed one (nor late row) is published again.
 */
final class SessionsUpgrade {
    /** The earlier version's folder of open sessions, inside the tables query's checkpoint. */
    static final String EARLIER_STORE = "questlog-sessions";
    /** What was carried over, kept in the sessions checkpoint until its first commit. */
    static final String CARRIED = "carried-sessions.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SessionsUpgrade() {
    }

    /** The open sessions to carry over and the Kafka offsets the sessions query starts from. */
    record Carried(List<Row> open, long afterBatch, Map<Integer, Long> startAt) {
        /** Spark's startingOffsets option: {"topic":{"0":42,...}}. */
        String startingOffsets(String topic) {
            ObjectNode partitions = JSON.createObjectNode();
            startAt.forEach((p, o) -> partitions.put(Integer.toString(p), o));
            ObjectNode json = JSON.createObjectNode();
            json.set(topic, partitions);
            return json.toString();
        }
    }

    /**
     * What to carry over, while the sessions checkpoint has no committed batch. The first call takes it from the
     * earlier store and writes it down in the sessions checkpoint ({@link #CARRIED}): every later start until that
     * first commit (a failed batch 0, a killed driver) carries the same sessions from the same offsets, however far
     * the tables query has gone meanwhile. The store is then renamed {@code questlog-sessions.carried}, so a sessions
     * checkpoint reset later starts from QUESTLOG_STARTING_OFFSETS like any new one, and nothing is carried twice.
     * <p>The store's newest version v is the state after batch v; batches after it that the tables query committed had
     * no on-time event (each such batch saved a version), so reading starts at the end of the later of the two.
     */
    static Optional<Carried> find(Configuration conf, String tablesCheckpoint, String sessionsCheckpoint, String topic)
            throws IOException {
        Path store = new Path(tablesCheckpoint, EARLIER_STORE);
        Path carried = new Path(sessionsCheckpoint, CARRIED);
        FileSystem fs = store.getFileSystem(conf);
        if (DataLoss.lastBatch(fs, new Path(sessionsCheckpoint, "commits"), "\\d+") >= 0) return Optional.empty();
        if (!fs.exists(carried)) {
            long version = DataLoss.lastBatch(fs, store, "\\d{12}");
            if (version < 0) return Optional.empty();
            long upTo = Math.max(version, DataLoss.lastBatch(fs, new Path(tablesCheckpoint, "commits"), "\\d+"));
            Path offsets = new Path(new Path(tablesCheckpoint, "offsets"), Long.toString(upTo));
            if (!fs.exists(offsets)) {
                throw new IOException("upgrading the sessions: " + offsets + " is missing, so where " + store
                        + " stopped is unknown. Start with QUESTLOG_STARTING_OFFSETS set to the offsets to begin at, after"
                        + " removing " + store + " (its open sessions are then lost)");
            }
            ObjectNode head = JSON.createObjectNode().put("after_batch", upTo);
            ObjectNode startAt = head.putObject("start_at");
            try (var in = fs.open(offsets)) {
                DataLoss.offsetsIn(new String(in.readAllBytes(), StandardCharsets.UTF_8), topic)
                        .forEach((p, o) -> startAt.put(Integer.toString(p), o));
            }
            String open;
            try (var in = fs.open(new Path(new Path(store, String.format("%012d", version)), "open.jsonl"))) {
                open = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Path tmp = new Path(sessionsCheckpoint, "_" + CARRIED);
            try (Writer w = new OutputStreamWriter(fs.create(tmp, true), StandardCharsets.UTF_8)) {
                w.write(head + "\n" + open);
            }
            if (!fs.rename(tmp, carried)) throw new IOException("cannot rename " + tmp + " to " + carried);
        }
        if (fs.exists(store) && !fs.rename(store, store.suffix(".carried"))) {
            throw new IOException("cannot rename " + store + " to " + store.suffix(".carried"));
        }
        return Optional.of(read(fs, carried));
    }

    /** {@link #CARRIED}: its first line where to start, then the open sessions as the earlier store wrote them. */
    private static Carried read(FileSystem fs, Path carried) throws IOException {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(carried), StandardCharsets.UTF_8))) {
            JsonNode head = JSON.readTree(r.readLine());
            Map<Integer, Long> startAt = new TreeMap<>();
            head.get("start_at").fields().forEachRemaining(p -> startAt.put(Integer.parseInt(p.getKey()), p.getValue().asLong()));
            List<Row> open = new ArrayList<>();
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) open.add(partial(JSON.readTree(line)));
            }
            return new Carried(open, head.get("after_batch").asLong(), startAt);
        }
    }

    /**
     * One line of the earlier store: [user, start µs, end µs, events, purchases, guild joins, first event's µs,
     * browser, os, device], as an {@link OpenSessions#SCHEMA} row.
     */
    static Row partial(JsonNode a) {
        return RowFactory.create(a.get(0).asText(), OpenSessions.timestamp(a.get(1).asLong()),
                OpenSessions.timestamp(a.get(2).asLong()), a.get(3).asLong(), a.get(4).asLong(), a.get(5).asLong(),
                RowFactory.create(OpenSessions.timestamp(a.get(6).asLong()), text(a.get(7)), text(a.get(8)), text(a.get(9))));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
