package io.questlog.loadgen.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for ingest-api's {@code POST /events}: answers 503 to the first {@code failFirst}
 * requests, then 200 with the event_ids it read, and records every request it saw.
 */
final class FakeIngest implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One request as received. */
    record Seen(int status, String userAgent, String contentType, List<String> eventIds, List<JsonNode> events) {
    }

    private final HttpServer server;
    private final AtomicInteger failuresLeft;
    private final int failStatus;
    final List<Seen> requests = Collections.synchronizedList(new ArrayList<>());

    FakeIngest(int failFirst, int failStatus) throws IOException {
        this.failuresLeft = new AtomicInteger(failFirst);
        this.failStatus = failStatus;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/events", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            List<JsonNode> events = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (String line : body.split("\n")) {
                if (line.isBlank()) continue;
                JsonNode n = JSON.readTree(line);
                events.add(n);
                ids.add(n.path("event_id").asText());
            }
            int status = failuresLeft.getAndDecrement() > 0 ? failStatus : 200;
            requests.add(new Seen(status, ex.getRequestHeaders().getFirst("User-Agent"),
                    ex.getRequestHeaders().getFirst("Content-Type"), ids, events));
            String answer = status == 200
                    ? JSON.createObjectNode().put("accepted", ids.size()).set("event_ids", JSON.valueToTree(ids)).toString()
                    : "{\"error\":\"kafka unavailable\"}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
