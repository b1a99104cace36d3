package io.questlog.stack.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Env;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.parts.StreamWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `status` judges a running stream-writer by its progress line, and says whether every part is up (its exit code). */
class SupervisorStatusTest {
    @TempDir
    Path tmp;

    /** A config whose stream-writer pid file names this test's own JVM, so it counts as running. */
    StackConfig runningWriter(String progress) throws Exception {
        StackConfig c = StackConfig.from(new Env(Map.of("QUESTLOG_ROOT", tmp.toString())));
        StateDirs.layout(c);
        ProcessHandle me = ProcessHandle.current();
        Files.writeString(c.pidFile("stream-writer"), me.pid() + " " + me.info().startInstant().orElseThrow().toEpochMilli() + "\n");
        if (progress != null) Files.writeString(c.progressFile("stream-writer"), progress + "\n");
        return c;
    }

    static String[] status(StackConfig c) {
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true));
        try {
            boolean up = new Supervisor(c).status(List.of(StreamWriter.part()));
            return new String[] {String.valueOf(up), buf.toString()};
        } finally {
            System.setOut(out);
        }
    }

    @Test
    void recentBatchIsUp() throws Exception {
        String[] s = status(runningWriter(Instant.now() + " [questlog] query=tables batch=4 rows_in=10 duration_ms=50"));
        assertThat(s[0]).isEqualTo("true");
        assertThat(s[1]).containsPattern("(?m)^stream-writer +up ").contains("stream-writer: last batch 0 s ago: query=tables batch=4");
    }

    @Test
    void startedButNoProgressIsNotUp() throws Exception {
        String[] s = status(runningWriter(null));
        assertThat(s[0]).isEqualTo("false");
        assertThat(s[1]).containsPattern("(?m)^stream-writer +starting ").contains("stream-writer: no progress line yet");
    }

    @Test
    void waitingShowsWhatFor() throws Exception {
        String[] s = status(runningWriter(Instant.now() + " [questlog] waiting for Trino at 127.0.0.1:8080: 42 s (refused)"));
        assertThat(s[0]).isEqualTo("false");
        assertThat(s[1]).containsPattern("(?m)^stream-writer +waiting ").contains("stream-writer: waiting for Trino at 127.0.0.1:8080: 42 s\n");
    }

    @Test
    void lineFromBeforeTheProcessStartedIsAnEarlierRunsSoStarting() throws Exception {
        Instant before = ProcessHandle.current().info().startInstant().orElseThrow().minusSeconds(5);
        String[] s = status(runningWriter(before + " [questlog] query=tables batch=4 rows_in=10 duration_ms=50"));
        assertThat(s[0]).isEqualTo("false");
        assertThat(s[1]).containsPattern("(?m)^stream-writer +starting ");
    }

    @Test
    void downWriterShowsItsLastLine() throws Exception {
        StackConfig c = runningWriter("2026-01-10T12:00:00Z [questlog] idle lag=0");
        Files.delete(c.pidFile("stream-writer"));
        String[] s = status(c);
        assertThat(s[0]).isEqualTo("false");
        assertThat(s[1]).containsPattern("(?m)^stream-writer +down ")
                .contains("stream-writer: down; last progress line: 2026-01-10T12:00:00Z [questlog] idle lag=0");
    }
}
