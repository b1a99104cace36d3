package io.questlog.ingest.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.questlog.ingest.http.TestServer.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Slowloris: clients that declare large bodies and trickle them neither starve others nor stay forever. */
class SlowBodiesTest {
    static final String OK = "{\"event_type\":\"ok\",\"user_id\":\"u\"}";

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void twoHundredTricklingClientsDoNotStopAnOrdinaryRequestAndAreCutOff() throws Exception {
        try (TestServer server = new TestServer()) {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    Socket s = new Socket("127.0.0.1", server.app.port());
                    s.setSoTimeout(60_000);
                    s.getOutputStream().write(("POST " + (i % 2 == 0 ? "/events" : "/purchase_a_sword") + " HTTP/1.1\r\n"
                            + "Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " + (512 << 10)
                            + "\r\n\r\n[").getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                // a few bytes a second on every connection, for as long as the server keeps reading
                Thread trickler = new Thread(() -> {
                    for (int round = 0; round < 60 && !Thread.currentThread().isInterrupted(); round++) {
                        for (Socket s : slow) {
                            try {
                                if (!s.isOutputShutdown()) s.getOutputStream().write(" {".getBytes(StandardCharsets.US_ASCII));
                            } catch (IOException closedByServer) {
                                // answered and closed: stop writing to it
                                try {
                                    s.shutdownOutput();
                                } catch (IOException ignored) {
                                    // already gone
                                }
                            }
                        }
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }, "trickler");
                trickler.setDaemon(true);
                trickler.start();
                Thread.sleep(1500);

                HttpResponse<String> ordinary = CompletableFuture.supplyAsync(() -> {
                    try {
                        return server.post("/events", "application/json", OK);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).get(10, TimeUnit.SECONDS);
                assertThat(ordinary.statusCode()).as(ordinary.body()).isEqualTo(200);
                assertThat(server.sink.received()).hasSize(1);

                // every trickling client is eventually answered 408 (or its connection closed)
                int answered408 = 0;
                for (Socket s : slow) {
                    String status = statusLineOrClosed(s.getInputStream());
                    assertThat(status).matches("HTTP/1.1 408 .*|closed");
                    if (status.startsWith("HTTP/1.1 408")) answered408++;
                }
                trickler.interrupt();
                assertThat(answered408).isPositive();
                assertThat(server.sink.received()).hasSize(1);
                assertThat(server.get("/metrics").body()).contains("questlog_ingest_admitted_bytes 0.0")
                        .contains("questlog_ingest_events_rejected_total{reason=\"body_too_slow\"}");
            } finally {
                for (Socket s : slow) s.close();
            }
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aBodyNotWholeWithinTheBodyTimeoutIs408() throws Exception {
        try (TestServer server = new TestServer(Map.of("QUESTLOG_INGEST_BODY_TIMEOUT", "2 seconds",
                "QUESTLOG_INGEST_MIN_DATA_RATE", "1"));
             Socket s = new Socket("127.0.0.1", server.app.port())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /events HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n[")
                    .getBytes(StandardCharsets.US_ASCII));
            long start = System.nanoTime();
            String head = null;
            InputStream in = s.getInputStream();
            // fast enough for the minimum rate, never finished: the body timeout ends it
            while (head == null && System.nanoTime() - start < 20_000_000_000L) {
                try {
                    out.write((OK + ",").getBytes(StandardCharsets.US_ASCII));
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(200);
                if (in.available() > 0) head = new String(in.readNBytes(in.available()), StandardCharsets.ISO_8859_1);
            }
            if (head == null) head = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 408").contains("\"reason\":\"body_timeout\"").contains("Connection: close");
            assertThat(server.sink.received()).isEmpty();
        }
    }

    /** The answer's status line, or "closed" when the server closed (or reset) the connection without one. */
    private static String statusLineOrClosed(InputStream in) {
        StringBuilder line = new StringBuilder();
        try {
            for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) line.append((char) c);
        } catch (IOException reset) {
            return line.length() == 0 ? "closed" : line.toString().trim();
        }
        return line.length() == 0 ? "closed" : line.toString().trim();
    }
}
