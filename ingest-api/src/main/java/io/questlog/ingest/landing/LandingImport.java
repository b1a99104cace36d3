package io.questlog.ingest.landing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.event.Envelope;
import io.questlog.ingest.event.EnvelopeFactory;
import io.questlog.ingest.event.EventBodyParser;
import io.questlog.ingest.event.InvalidEventException;
import io.questlog.ingest.event.Json;
import io.questlog.ingest.event.RequestInfo;
import io.questlog.ingest.event.SecretNames;
import io.questlog.ingest.event.UserAgentFamilies;
import io.questlog.ingest.kafka.EventSink;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

/**
 * Imports a landing zone: every NDJSON file (plain or .gz) of {@code pending/}, by name, goes through the API's
 * validation and envelope into Kafka; its bad lines go to a rejects file; once every event is acknowledged the
 * file moves to {@code processed/dt=<today, UTC>/}. An unreadable file moves to {@code failed/}.
 */
public final class LandingImport {
    static final int CHUNK_LINES = 5_000;
    /** A chunk ends early at this many bytes, so 4 chunks of large events stay well inside the producer's 32 MiB buffer. */
    static final long CHUNK_BYTES = 4L << 20;
    static final int CHUNKS_IN_FLIGHT = 4;
    static final String KAFKA_FAILED = "Kafka did not acknowledge";
    static final String HOST = "import";
    static final String USER_AGENT = "questlog-import";

    /** One file's outcome; {@code failure} is empty when it was imported (rejected lines are not failures). */
    public record FileResult(String name, long lines, long resumedAt, long sent, long rejected, double seconds,
                             Optional<String> failure) {
        public double eventsPerSecond() {
            return seconds > 0 ? sent / seconds : 0;
        }
    }

    /** Kafka did not acknowledge in time: the import stops, the file stays in pending/ with its progress. */
    public static final class KafkaFailure extends Exception {
        KafkaFailure(String message) {
            super(message, null, false, false);
        }
    }

    private final FileSystem fs;
    private final Path pending;
    private final Path processed;
    private final Path failed;
    private final IngestConfig cfg;
    private final Optional<EventSink> sink;
    private final PrintStream out;
    private final boolean terminal;
    private final LineIds ids = new LineIds();
    private final EnvelopeFactory envelopes;

    /** @param sink empty: a dry run that validates and counts, sending, writing and moving nothing */
    public LandingImport(FileSystem fs, Path dir, IngestConfig cfg, Optional<EventSink> sink, PrintStream out, boolean terminal) {
        this.fs = fs;
        this.pending = new Path(dir, "pending");
        this.processed = new Path(dir, "processed");
        this.failed = new Path(dir, "failed");
        this.cfg = cfg;
        this.sink = sink;
        this.out = out;
        this.terminal = terminal;
        this.envelopes = new EnvelopeFactory(new UserAgentFamilies(cfg.uaCacheSize()), cfg.limits(),
                new SecretNames(cfg.secretNames()), (where, n) -> { }, ids);
    }

    /**
     * The files waiting in DIR/pending/, by name. Hidden names are this importer's markers (or an uploader's
     * temporary file), {@code ._COPYING_} is {@code hdfs dfs -put} still writing.
     */
    public static List<FileStatus> pendingFiles(FileSystem fs, Path dir) throws IOException {
        Path pending = new Path(dir, "pending");
        if (!fs.exists(pending)) return List.of();
        return Arrays.stream(fs.listStatus(pending))
                .filter(s -> s.isFile() && isEventFile(s.getPath().getName()))
                .sorted(Comparator.comparing(s -> s.getPath().getName()))
                .toList();
    }

    static boolean isEventFile(String name) {
        return !name.startsWith(".") && !name.startsWith("_") && !name.endsWith("._COPYING_");
    }

    /** Imports every pending file; stops at the first file Kafka did not acknowledge (its result names the failure). */
    public List<FileResult> run() throws IOException {
        List<FileResult> results = new ArrayList<>();
        for (FileStatus f : pendingFiles(fs, pending.getParent())) {
            FileResult r = importFile(f);
            results.add(r);
            out.println(summary(r, sink.isPresent() ? "sent" : "valid"));
            if (r.failure().isPresent() && r.failure().get().startsWith(KAFKA_FAILED)) break;
        }
        return results;
    }

    FileResult importFile(FileStatus file) throws IOException {
        Path path = file.getPath();
        String name = path.getName();
        long t0 = System.nanoTime();
        ImportIds.Scan scan;
        try (InputStream in = open(path)) {
            scan = ImportIds.scan(in);
        } catch (IOException e) {
            String where = "left in pending/ (dry run)";
            if (sink.isPresent()) {
                fs.mkdirs(failed);
                Path dest = unique(failed, name);
                where = fs.rename(path, dest) ? "moved to " + dest : "left in pending/ (could not move it to failed/)";
            }
            return new FileResult(name, 0, 0, 0, 0, seconds(t0),
                    Optional.of("unreadable (" + describe(e) + "): " + where + "; fix it and move it back to pending/"));
        }

        Path marker = new Path(pending, "." + name + ".progress");
        Path rejectsTmp = new Path(pending, "." + name + ".rejects.ndjson");
        long resumeAt = sink.isPresent() ? resumePoint(marker, scan.hash(), scan.lines()) : 0;
        if (sink.isPresent()) fs.delete(rejectsTmp, false);

        long line = 0;
        long sent = 0;
        long rejected = 0;
        FSDataOutputStream rejects = null;
        ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
        List<Envelope> chunk = new ArrayList<>();
        long chunkBytes = 0;
        RequestInfo req = requestInfo();
        int maxEvent = cfg.limits().maxEventBytes();
        try (InputStream in = open(path); ProgressDisplay progress = ProgressDisplay.of(name, scan.lines(), scan.bytes(), terminal, out)) {
            LineReader lines = new LineReader(in, maxEvent);
            while (lines.next()) {
                line++;
                if (!lines.isBlank()) {
                    try {
                        Envelope e = envelope(lines, line, scan.hash(), req, maxEvent);
                        if (line > resumeAt) {
                            chunk.add(e);
                            chunkBytes += lines.length();
                        }
                    } catch (InvalidEventException bad) {
                        rejected++;
                        if (sink.isPresent()) {
                            if (rejects == null) rejects = fs.create(rejectsTmp, true);
                            String raw = new String(lines.bytes(), 0, Math.min(lines.kept(), maxEvent), StandardCharsets.UTF_8);
                            rejects.write((rejectRecord(line, bad, raw) + "\n").getBytes(StandardCharsets.UTF_8));
                        }
                    }
                }
                if (line > resumeAt && (line % CHUNK_LINES == 0 || chunkBytes >= CHUNK_BYTES)) {
                    sent += send(chunk, line, inFlight, marker, scan.hash(), CHUNKS_IN_FLIGHT);
                    chunk = new ArrayList<>();
                    chunkBytes = 0;
                    req = requestInfo();
                    progress.update(line, lines.bytesRead(), sent);
                }
            }
            if (line > resumeAt) sent += send(chunk, line, inFlight, marker, scan.hash(), 0);
            progress.update(line, lines.bytesRead(), sent);
        } catch (KafkaFailure e) {
            if (rejects != null) rejects.close();
            return new FileResult(name, line, resumeAt, sent, rejected, seconds(t0), Optional.of(e.getMessage()));
        } catch (IOException e) {
            if (rejects != null) rejects.close();
            return new FileResult(name, line, resumeAt, sent, rejected, seconds(t0),
                    Optional.of("failed at line " + line + " (" + describe(e) + "): left in pending/, run import again"));
        }
        if (rejects != null) rejects.close();
        if (sink.isPresent()) {
            Path day = new Path(processed, "dt=" + LocalDate.now(ZoneOffset.UTC));
            fs.mkdirs(day);
            Path dest = unique(day, name);
            if (rejects != null) fs.rename(rejectsTmp, new Path(day, dest.getName() + ".rejects.ndjson"));
            if (!fs.rename(path, dest)) throw new IOException("could not move " + path + " to " + dest);
            fs.delete(marker, false);
            fs.delete(marker.suffix(".tmp"), false);
        }
        return new FileResult(name, line, resumeAt, sent, rejected, seconds(t0), Optional.empty());
    }

    private Envelope envelope(LineReader lines, long line, String hash, RequestInfo req, int maxEvent) {
        if (lines.length() > maxEvent) {
            throw new InvalidEventException(413, "event_too_large",
                    "line " + line + " has " + lines.length() + " bytes, more than the limit of " + maxEvent, null, null);
        }
        ObjectNode event = EventBodyParser.parseLine(lines.bytes(), lines.kept(), (int) line);
        ids.next = ImportIds.eventId(hash, line);
        return envelopes.fromUserEvent(event, 0, req);
    }

    private record InFlight(long through, int events, CompletableFuture<Void> acked) {
    }

    /**
     * Sends a chunk, then waits for the oldest chunks until at most {@code keep} are unacknowledged, recording
     * each acknowledged one in the marker. Returns the events acknowledged meanwhile.
     */
    private long send(List<Envelope> chunk, long through, ArrayDeque<InFlight> inFlight, Path marker, String hash, int keep)
            throws KafkaFailure, IOException {
        if (sink.isEmpty()) return chunk.size();
        inFlight.add(new InFlight(through, chunk.size(), sink.get().send(chunk)));
        long acked = 0;
        while (inFlight.size() > keep || (!inFlight.isEmpty() && inFlight.peek().acked().isDone())) {
            InFlight oldest = inFlight.poll();
            try {
                oldest.acked().get(cfg.produceWait().toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new KafkaFailure(KAFKA_FAILED + " (" + describe(cause)
                        + ") at " + cfg.kafkaBootstrap() + ": is Kafka up (`./questlog up`)? Run import again, it resumes");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaFailure(KAFKA_FAILED + ": interrupted");
            }
            writeMarker(marker, new Progress(hash, oldest.through()));
            acked += oldest.events();
        }
        return acked;
    }

    /** Write, then rename: a crash leaves the old marker or the new one, never half of one. */
    private void writeMarker(Path marker, Progress p) throws IOException {
        Path tmp = marker.suffix(".tmp");
        try (FSDataOutputStream o = fs.create(tmp, true)) {
            o.write(p.format().getBytes(StandardCharsets.US_ASCII));
        }
        fs.delete(marker, false);
        fs.rename(tmp, marker);
    }

    private long resumePoint(Path marker, String hash, long lines) throws IOException {
        // no marker but a .tmp: the crash came between writeMarker's delete and rename, and the .tmp is the newer
        // marker (a .tmp cut short parses as nothing or as fewer lines, which only re-sends more)
        Path from = fs.exists(marker) ? marker : marker.suffix(".tmp");
        if (!fs.exists(from)) return 0;
        String text;
        try (InputStream in = fs.open(from)) {
            text = new String(in.readNBytes(200), StandardCharsets.US_ASCII);
        }
        return Progress.parse(text).filter(p -> p.fileHash().equals(hash) && p.lines() <= lines).map(Progress::lines).orElse(0L);
    }

    private InputStream open(Path p) throws IOException {
        InputStream in = fs.open(p, 1 << 16);
        return p.getName().endsWith(".gz") ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** {@code name}, or {@code base-2.ext}, {@code base-3.ext}... when a file of that name is there already. */
    private Path unique(Path dir, String name) throws IOException {
        int dot = name.indexOf('.', 1);
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot);
        Path p = new Path(dir, name);
        for (int i = 2; fs.exists(p); i++) p = new Path(dir, base + "-" + i + ext);
        return p;
    }

    private static RequestInfo requestInfo() {
        return new RequestInfo(HOST, USER_AGENT, "", "", Map.of(), System.currentTimeMillis());
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** One line of a rejects file: the line number, the API's reason code and message (and field), the line as read. */
    static String rejectRecord(long line, InvalidEventException e, String raw) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("line", line);
        o.put("reason", e.reason());
        o.put("error", e.getMessage());
        e.field().ifPresent(f -> o.put("field", f));
        o.put("raw", raw);
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }

    static String summary(FileResult r, String verb) {
        String s = String.format("%s: %d lines, %d events %s, %d rejected, %.1f s, %.0f events/s", r.name(), r.lines(),
                r.sent(), verb, r.rejected(), r.seconds(), r.eventsPerSecond());
        if (r.resumedAt() > 0) s += " (resumed after line " + r.resumedAt() + ")";
        return s + r.failure().map(f -> "; FAILED: " + f).orElse("");
    }

    /** The event_id the factory gives an event without one: set per line before the envelope is made. */
    private static final class LineIds implements Supplier<String> {
        String next;

        @Override
        public String get() {
            return next;
        }
    }
}
