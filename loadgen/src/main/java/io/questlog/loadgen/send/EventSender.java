package io.questlog.loadgen.send;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import io.questlog.loadgen.simulate.UserEvent;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Posts batches as NDJSON to {@code /events} from a few concurrent senders. A 503, 429, 502, 504 or a
 * connection error is retried with the same body (same event_ids, so ingest-api can deduplicate)
 * after an exponential backoff; other answers are final.
 */
public final class EventSender {

    /** How the sender behaves. */
    public record Options(int senders, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
                          Duration requestTimeout, Duration progressEvery) {
        public Options {
            if (senders < 1) throw new IllegalArgumentException("senders must be >= 1");
            if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        }

        /** The wait after failed attempt {@code n} (1, 2, ...): the initial backoff, doubling up to the maximum. */
        long backoffMs(int n) {
            return Math.min(maxBackoff.toMillis(), initialBackoff.toMillis() << Math.min(n - 1, 30));
        }
    }

    /** One POST's outcome: ingest-api's answer, or why there was none. */
    private record Attempt(HttpResponse<String> response, String error) {
        boolean retryable() {
            return response == null || EventSender.retryable(response.statusCode());
        }

        String problem() {
            return response == null ? error : "HTTP " + response.statusCode() + " " + abbreviate(response.body());
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI eventsUri;
    private final Options options;
    private final Consumer<List<UserEvent>> onAccepted;
    private final PrintStream log;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong retriedRequests = new AtomicLong();
    private final AtomicLong retriedEvents = new AtomicLong();

    /**
     * @param ingestUrl base URL of ingest-api, e.g. http://127.0.0.1:5000
     * @param onAccepted called once per successful request with the events it accepted (thread-safe sink)
     */
    public EventSender(URI ingestUrl, Options options, Consumer<List<UserEvent>> onAccepted, PrintStream log) {
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        this.eventsUri = ingestUrl.resolve("/events");
        this.options = options;
        this.onAccepted = onAccepted;
        this.log = log;
    }

    /** The NDJSON body: envelope fields named as ingest-api expects, attributes as top-level fields. */
    public static String ndjson(List<UserEvent> events) {
        StringBuilder b = new StringBuilder();
        for (UserEvent e : events) {
            ObjectNode o = JSON.createObjectNode();
            o.put("event_id", e.eventId());
            o.put("event_type", e.eventType());
            o.put("anonymous_id", e.userId());
            o.put("device_sent_timestamp", e.eventTs());
            e.attributes().forEach(o::put);
            b.append(o).append('\n');
        }
        return b.toString();
    }

    /** Sends every batch (in list order, {@code senders} at a time) and returns the totals. */
    public SendTotals send(List<Batch> batches) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(options.senders(), daemon("loadgen-sender"));
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("loadgen-progress"));
        long t0 = System.nanoTime();
        if (!options.progressEvery().isZero()) {
            long every = options.progressEvery().toMillis();
            long[] lastAccepted = {0};
            ticker.scheduleAtFixedRate(() -> {
                long acc = accepted.get();
                double rate = (acc - lastAccepted[0]) * 1000.0 / every;
                lastAccepted[0] = acc;
                log.printf("[loadgen] %4ds sent=%d accepted=%d (%.0f events/s) retried=%d rejected=%d%n",
                        (System.nanoTime() - t0) / 1_000_000_000L, sent.get(), acc, rate,
                        retriedRequests.get(), rejected.get());
            }, every, every, TimeUnit.MILLISECONDS);
        }
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int i = 0; i < options.senders(); i++) {
                workers.add(pool.submit(() -> {
                    for (int b = next.getAndIncrement(); b < batches.size(); b = next.getAndIncrement()) {
                        sendOne(batches.get(b));
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                try {
                    w.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("sender failed", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            ticker.shutdownNow();
        }
        return totals();
    }

    public SendTotals totals() {
        return new SendTotals(sent.get(), accepted.get(), rejected.get(), retriedRequests.get(), retriedEvents.get());
    }

    private void sendOne(Batch batch) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(eventsUri)
                .timeout(options.requestTimeout())
                .header("Content-Type", "application/x-ndjson")
                .header("User-Agent", batch.userAgent())
                .POST(HttpRequest.BodyPublishers.ofString(ndjson(batch.events())))
                .build();
        int n = batch.events().size();
        // same body on every attempt: same event_ids, so ingest-api can deduplicate; Retry-After lengthens the wait
        RetryPolicy<Attempt> retry = RetryPolicy.<Attempt>builder()
                .handleResultIf(Attempt::retryable)
                .abortOn(InterruptedException.class)
                .withMaxAttempts(options.maxAttempts())
                .withDelayFn(ctx -> Duration.ofMillis(Math.max(options.backoffMs(ctx.getAttemptCount()),
                        ctx.getLastResult() == null || ctx.getLastResult().response() == null ? 0
                                : retryAfterMs(ctx.getLastResult().response()))))
                .onRetry(e -> {
                    retriedRequests.incrementAndGet();
                    retriedEvents.addAndGet(n);
                })
                .build();
        Attempt last;
        try {
            last = Failsafe.with(retry).get(() -> {
                sent.addAndGet(n);
                try {
                    return new Attempt(http.send(request, HttpResponse.BodyHandlers.ofString()), null);
                } catch (IOException e) {
                    return new Attempt(null, e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + " (is ingest-api up at " + eventsUri.resolve("/") + "?)");
                }
            });
        } catch (FailsafeException e) {
            if (e.getCause() instanceof InterruptedException i) throw i;
            throw e;
        }
        if (last.response() != null && last.response().statusCode() == 200) {
            accept(batch, last.response().body());
            return;
        }
        rejected.addAndGet(n);
        if (last.retryable()) {
            log.printf("[loadgen] gave up on %d events after %d attempts (last: %s)%n", n, options.maxAttempts(), last.problem());
        } else {
            log.printf("[loadgen] rejected %d events (%s)%n", n, last.problem());
        }
    }

    private void accept(Batch batch, String body) {
        Set<String> ids = new HashSet<>();
        try {
            JsonNode answer = JSON.readTree(body);
            answer.path("event_ids").forEach(id -> ids.add(id.asText()));
            if (ids.isEmpty() && answer.path("accepted").asInt(-1) == batch.events().size()) {
                batch.events().forEach(e -> ids.add(e.eventId()));
            }
        } catch (IOException e) {
            log.printf("[loadgen] 200 with an unreadable body, counting %d events as rejected: %s%n",
                    batch.events().size(), abbreviate(body));
        }
        List<UserEvent> ok = new ArrayList<>();
        for (UserEvent e : batch.events()) {
            if (ids.contains(e.eventId())) ok.add(e);
        }
        int missing = batch.events().size() - ok.size();
        if (missing > 0) {
            rejected.addAndGet(missing);
            log.printf("[loadgen] 200 but %d of %d event_ids not acknowledged; counted as rejected%n",
                    missing, batch.events().size());
        }
        onAccepted.accept(ok);
        accepted.addAndGet(ok.size());
    }

    private static boolean retryable(int status) {
        return status == 503 || status == 429 || status == 502 || status == 504;
    }

    private static long retryAfterMs(HttpResponse<?> resp) {
        return resp.headers().firstValue("Retry-After").map(v -> {
            try {
                return Math.min(30_000L, Long.parseLong(v.trim()) * 1000L);
            } catch (NumberFormatException e) {
                return 0L;
            }
        }).orElse(0L);
    }

    private static String abbreviate(String s) {
        String one = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return one.length() > 300 ? one.substring(0, 300) + "…" : one;
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
