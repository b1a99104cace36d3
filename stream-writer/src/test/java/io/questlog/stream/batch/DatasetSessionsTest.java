package io.questlog.stream.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.stream.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetSessionsTest {
    static final DatasetSessions.Keys KEYS = new DatasetSessions.Keys("anonymous_id", "device_sent_timestamp", "device_family");
    static final long GAP_MS = 1800_000L;

    @TempDir
    Path dir;

    @Test
    void theChallengesSampleLines() throws IOException {
        // the line from the challenge's description, and two more in its shape: one user 20 minutes later (same
        // session), another user on an iPhone
        write(dir.resolve("in/sample.ndjson"), List.of(
                "{\"anonymous_id\":\"84CC8775-3ED0-4E43-A2B3-5B8A2E5C5A9F\",\"device_sent_timestamp\":1554767994401,\"browser_family\":\"Other\",\"os_family\":\"Other\",\"device_family\":\"Other\"}",
                "{\"anonymous_id\":\"84CC8775-3ED0-4E43-A2B3-5B8A2E5C5A9F\",\"device_sent_timestamp\":1554769194401,\"browser_family\":\"Other\",\"os_family\":\"Other\",\"device_family\":\"Other\"}",
                "{\"anonymous_id\":\"0A1F2C3D-0000-4000-8000-000000000001\",\"device_sent_timestamp\":1554767000000,\"browser_family\":\"Mobile Safari\",\"os_family\":\"iOS\",\"device_family\":\"iPhone\"}"));
        var r = run(dir.resolve("in").toString(), KEYS);
        assertThat(r.sessions()).isEqualTo(Map.of("Other", 1L, "iPhone", 1L));
        assertThat(Files.readString(dir.resolve("out/sessions_by_device_family.json"))).isEqualTo("{\"Other\":1,\"iPhone\":1}\n");
        assertThat(r.events()).isEqualTo(3);
        assertThat(r.rejects()).isEmpty();
    }

    @Test
    void aGapOfExactlyTheMaximumContinuesTheSessionOneMillisecondMoreStartsOne() throws IOException {
        write(dir.resolve("in/a.ndjson"), List.of(line("u", 0, "A"), line("u", GAP_MS, "B"), line("u", 2 * GAP_MS + 1, "C")));
        assertThat(run(dir.resolve("in").toString(), KEYS).sessions()).isEqualTo(Map.of("A", 1L, "C", 1L));
    }

    @Test
    void badLinesAreCountedAndWrittenNeverFatal() throws IOException {
        write(dir.resolve("in/a.ndjson"), List.of(
                line("u1", 1000, "Other"),
                "{\"anonymous_id\":\"u1\",\"device_sent_timestamp\":",        // truncated
                "[1,2,3]",                                                   // not an object
                "{\"device_sent_timestamp\":5,\"device_family\":\"x\"}",     // no user
                "{\"anonymous_id\":\"u2\",\"device_family\":\"x\"}",         // no time
                "{\"anonymous_id\":\"u3\",\"device_sent_timestamp\":\"soon\"}", // time not epoch ms
                "",
                "{\"anonymous_id\":\"u4\",\"device_sent_timestamp\":7}"));   // no family: counted as unknown
        var r = run(dir.resolve("in").toString(), KEYS);
        assertThat(r.sessions()).isEqualTo(Map.of("Other", 1L, DatasetSessions.NO_GROUP, 1L));
        assertThat(r.events()).isEqualTo(2);
        assertThat(r.rejects()).containsEntry("missing anonymous_id", 1L).containsEntry("missing device_sent_timestamp", 1L)
                .containsEntry("not a JSON object", 1L);
        assertThat(r.rejects().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(5);
        String rejected;
        try (var files = Files.list(Path.of(r.rejectsDir()))) {
            rejected = files.filter(p -> p.getFileName().toString().startsWith("part-")).map(DatasetSessionsTest::read)
                    .reduce("", String::concat);
        }
        assertThat(rejected.lines()).hasSize(5).allMatch(l -> l.startsWith("{\"error\":"));
        assertThat(rejected).contains("\\\"soon\\\"", "[1,2,3]");
    }

    /** Generated users whose sessions, and each session's first family, are known by construction; gzip and plain. */
    @Test
    void generatedDatasetsMatchTheirKnownAnswer() throws IOException {
        Random rnd = new Random(20261201);
        String[] families = {"iPhone", "Samsung SM-G991B", "Other", "Pixel 7", "iPad"};
        Map<String, Long> expected = new TreeMap<>();
        List<String> lines = new ArrayList<>();
        for (int u = 0; u < 300; u++) {
            String user = "user-" + u;
            long t = 1_700_000_000_000L + rnd.nextInt(86_400_000);
            for (int s = 0, sessions = 1 + rnd.nextInt(4); s < sessions; s++) {
                String first = families[rnd.nextInt(families.length)];
                expected.merge(first, 1L, Long::sum);
                for (int e = 0, n = 1 + rnd.nextInt(6); e < n; e++) {
                    // within a session the family may change (a user switching devices): the first one counts
                    String family = e == 0 ? first : families[rnd.nextInt(families.length)];
                    lines.add(line(user, t, family));
                    if (e < n - 1) t += rnd.nextInt(3) == 0 ? GAP_MS : 1 + rnd.nextLong(GAP_MS - 1); // exactly the gap: same session
                }
                t += GAP_MS + 1 + rnd.nextLong(5 * GAP_MS);
            }
        }
        java.util.Collections.shuffle(lines, rnd); // files need not be sorted
        int half = lines.size() / 2;
        write(dir.resolve("in/part-1.ndjson"), lines.subList(0, half));
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(dir.resolve("in/part-2.ndjson.gz"))), StandardCharsets.UTF_8)) {
            for (String l : lines.subList(half, lines.size())) w.write(l + "\n");
        }
        var r = run(dir.resolve("in").toString() + "/part-*", KEYS);
        assertThat(r.sessions()).isEqualTo(expected);
        assertThat(r.events()).isEqualTo(lines.size());
    }

    private DatasetSessionsJob.Result run(String input, DatasetSessions.Keys keys) throws IOException {
        var out = new ByteArrayOutputStream();
        var r = DatasetSessionsJob.run(TestSpark.session(),
                new DatasetSessionsJob.Options(input, dir.resolve("out").toString(), keys, GAP_MS), new PrintStream(out, true));
        assertThat(out.toString()).contains("sessions by " + keys.group());
        return r;
    }

    static String line(String user, long ts, String family) {
        return "{\"anonymous_id\":\"" + user + "\",\"device_sent_timestamp\":" + ts
                + ",\"browser_family\":\"Other\",\"os_family\":\"Other\",\"device_family\":\"" + family + "\"}";
    }

    static void write(Path file, List<String> lines) throws IOException {
        Files.createDirectories(file.getParent());
        Files.write(file, lines);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
