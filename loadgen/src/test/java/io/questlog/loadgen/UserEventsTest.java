package io.questlog.loadgen;

import io.questlog.loadgen.manifest.Manifest;
import io.questlog.loadgen.sessions.ExpectedSessions;
import io.questlog.loadgen.simulate.UserEvent;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole command against an always-accepting stand-in of ingest-api. */
class UserEventsTest {

    @Test
    void postsEverythingWritesTheManifestAndPrintsTotals(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        List<String> received = new ArrayList<>();
        Pattern id = Pattern.compile("\"event_id\":\"([^\"]+)\"");
        server.createContext("/events", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            List<String> ids = new ArrayList<>();
            Matcher m = id.matcher(body);
            while (m.find()) ids.add("\"" + m.group(1) + "\"");
            synchronized (received) {
                received.addAll(ids);
            }
            byte[] answer = ("{\"accepted\":" + ids.size() + ",\"event_ids\":" + ids + "}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, answer.length);
            ex.getResponseBody().write(answer);
            ex.close();
        });
        server.start();
        Path manifest = dir.resolve("out/manifest.ndjson");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long before = Instant.now().toEpochMilli();
        int status;
        try {
            status = UserEvents.run(new String[] {"--users", "30", "--hours", "2", "--seed", "123", "--batch", "200",
                            "--manifest", manifest.toString()},
                    Map.of("QUESTLOG_INGEST_URL", "http://127.0.0.1:" + server.getAddress().getPort()),
                    new PrintStream(out, true), new PrintStream(out, true));
        } finally {
            server.stop(0);
        }
        long after = Instant.now().toEpochMilli();

        assertThat(status).isZero();
        List<UserEvent> written = Manifest.read(manifest);
        assertThat(written).hasSize(received.size());
        assertThat(written).extracting(UserEvent::eventId).doesNotHaveDuplicates();
        assertThat(written).allSatisfy(e -> assertThat(e.eventTs()).isBetween(before - 2 * 3_600_000L, after));
        assertThat(out.toString()).contains("seed=123", "accepted=" + written.size(), "rejected=0", "retried=0");
        assertThat(ExpectedSessions.fromManifest(manifest, Duration.ofMinutes(30))).isNotEmpty();
    }

    @Test
    void badSettingsExitWith2AndHelpWith0() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true);
        assertThat(UserEvents.run(new String[] {"--users", "none"}, Map.of(), ps, ps)).isEqualTo(2);
        assertThat(out.toString()).contains("QUESTLOG_LOAD_USERS=none is not an integer");
        assertThat(UserEvents.run(new String[] {"--help"}, Map.of(), ps, ps)).isZero();
        assertThat(out.toString()).contains("Usage: java -jar loadgen/target/loadgen.jar");
    }
}
