package io.questlog.stream.sessions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The open sessions ({@link OpenSessions#SCHEMA} rows, one per user with a session in progress) and the
 * newest event time seen, one version per micro-batch under {@code DIR/<batchId, 12 digits>/} (written
 * aside and renamed, so a version is whole or absent). Batch N reads the newest version below N: a
 * replayed batch sees exactly what its first attempt saw, so it computes the same sessions, the same late
 * events and the same file contents. Kept on the driver and in one small JSON-lines file per version (no
 * Spark job reads or writes it). Lives in the query's checkpoint folder, so resetting that resets it too.
 */
public final class SessionStore {
    private static final String MAX_FILE = "max_event_ts";
    private static final String OPEN_FILE = "open.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final FileSystem fs;

    /** What batch N starts from. {@code maxEventTsMs} is empty before the first event. */
    public record Snapshot(List<Row> open, OptionalLong maxEventTsMs) {
    }

    public SessionStore(String dir, Configuration conf) {
        this.dir = new Path(dir);
        try {
            this.fs = this.dir.getFileSystem(conf);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open the file system of " + dir, e);
        }
    }

    public Snapshot before(long batchId) {
        try {
            long v = latestBelow(batchId);
            if (v < 0) return new Snapshot(List.of(), OptionalLong.empty());
            Path version = versionPath(v);
            long max;
            try (var in = fs.open(new Path(version, MAX_FILE))) {
                max = Long.parseLong(new String(in.readAllBytes(), StandardCharsets.UTF_8).trim());
            }
            List<Row> open = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(fs.open(new Path(version, OPEN_FILE)), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    if (!line.isBlank()) open.add(fromJson(JSON.readTree(line)));
                }
            }
            return new Snapshot(open, OptionalLong.of(max));
        } catch (IOException e) {
            throw new UncheckedIOException("Reading open sessions before batch " + batchId + " from " + dir + " failed", e);
        }
    }

    /**
     * Saves batch {@code batchId}'s open sessions and newest event time, then drops the versions no replay can
     * need: those older than the one batch {@code batchId} started from (a replay of it reads that one again;
     * batches with no good events save nothing, so it can be many batches back).
     */
    public void save(long batchId, List<Row> open, long maxEventTsMs) {
        Path tmp = new Path(dir, "_tmp-" + String.format("%012d", batchId));
        Path target = versionPath(batchId);
        try {
            long startedFrom = latestBelow(batchId);
            fs.delete(tmp, true);
            fs.mkdirs(tmp);
            try (Writer w = new java.io.OutputStreamWriter(fs.create(new Path(tmp, OPEN_FILE), true), StandardCharsets.UTF_8)) {
                for (Row r : open) w.write(toJson(r) + "\n");
            }
            try (var out = fs.create(new Path(tmp, MAX_FILE), true)) {
                out.write(Long.toString(maxEventTsMs).getBytes(StandardCharsets.UTF_8));
            }
            fs.delete(target, true);
            if (!fs.rename(tmp, target)) throw new IOException("rename " + tmp + " -> " + target + " failed");
            for (long v : versions()) {
                if (v < startedFrom) fs.delete(versionPath(v), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Saving open sessions of batch " + batchId + " to " + dir + " failed", e);
        }
    }

    static String toJson(Row r) {
        ArrayNode a = JSON.createArrayNode();
        a.add(r.getString(0));
        a.add(micros(r.getTimestamp(1)));
        a.add(micros(r.getTimestamp(2)));
        a.add(r.getLong(3));
        a.add(r.getLong(4));
        a.add(r.getLong(5));
        Row first = r.getStruct(6);
        a.add(micros(first.getTimestamp(0)));
        for (int i = 1; i <= 3; i++) {
            if (first.isNullAt(i)) a.addNull(); else a.add(first.getString(i));
        }
        return a.toString();
    }

    static Row fromJson(JsonNode a) {
        return RowFactory.create(a.get(0).asText(), timestamp(a.get(1).asLong()), timestamp(a.get(2).asLong()),
                a.get(3).asLong(), a.get(4).asLong(), a.get(5).asLong(),
                RowFactory.create(timestamp(a.get(6).asLong()), text(a.get(7)), text(a.get(8)), text(a.get(9))));
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    static long micros(Timestamp t) {
        return Math.floorDiv(t.getTime(), 1000L) * 1_000_000L + t.getNanos() / 1000;
    }

    static Timestamp timestamp(long micros) {
        Timestamp t = new Timestamp(Math.floorDiv(micros, 1_000_000L) * 1000L);
        t.setNanos((int) Math.floorMod(micros, 1_000_000L) * 1000);
        return t;
    }

    private Path versionPath(long batchId) {
        return new Path(dir, String.format("%012d", batchId));
    }

    private long latestBelow(long batchId) throws IOException {
        long best = -1;
        for (long v : versions()) if (v < batchId && v > best) best = v;
        return best;
    }

    private List<Long> versions() throws IOException {
        List<Long> out = new ArrayList<>();
        if (!fs.exists(dir)) return out;
        for (FileStatus f : fs.listStatus(dir)) {
            String n = f.getPath().getName();
            if (f.isDirectory() && n.matches("\\d{12}")) out.add(Long.parseLong(n));
        }
        return out;
    }
}
