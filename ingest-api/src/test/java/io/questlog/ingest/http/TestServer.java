package io.questlog.ingest.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import io.questlog.contract.Env;
import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.event.Json;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** The real ingest app on a free port of 127.0.0.1, plus small HTTP helpers for tests. */
final class TestServer implements AutoCloseable {
    final RecordingSink sink = new RecordingSink();
    final IngestConfig cfg;
    final Javalin app;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    TestServer() {
        this(Map.of());
    }

    TestServer(Map<String, String> env) {
        Map<String, String> vars = new HashMap<>(Map.of("QUESTLOG_INGEST_PORT", "0"));
        vars.putAll(env);
        Env e = new Env(vars);
        cfg = IngestConfig.from(e);
        if (!e.errors().isEmpty()) throw new IllegalArgumentException(e.errors().toString());
        app = IngestApp.create(cfg, sink, new IngestMetrics()).start("127.0.0.1", 0);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (headers.length > 0) b.headers(headers);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String contentType, String body, String... headers) throws Exception {
        return post(path, contentType, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    /** Writes raw request bytes on a socket, as ab does, and reads {@code responses} responses back. */
    String raw(String request, int responses) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            for (int i = 0; i < responses; i++) readResponse(in, all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static void readResponse(InputStream in, ByteArrayOutputStream all) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) throw new IOException("connection closed after: " + all + head);
            head.append((char) c);
        }
        all.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        int len = -1;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) len = Integer.parseInt(line.substring(15).trim());
        }
        if (len < 0) throw new IOException("no Content-Length in: " + head);
        all.writeBytes(in.readNBytes(len));
    }

    @Override
    public void close() {
        app.stop();
    }
}
