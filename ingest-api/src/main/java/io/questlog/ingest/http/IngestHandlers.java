package io.questlog.ingest.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.event.Envelope;
import io.questlog.ingest.event.EnvelopeFactory;
import io.questlog.ingest.event.EventBodyParser;
import io.questlog.ingest.event.HeaderRedaction;
import io.questlog.ingest.event.InvalidEventException;
import io.questlog.ingest.event.Json;
import io.questlog.ingest.event.RequestInfo;
import io.questlog.ingest.kafka.EventSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** The request handlers: small functions over {@link Context}, wired in {@link IngestApp}. */
final class IngestHandlers {
    private static final Logger LOG = LoggerFactory.getLogger(IngestHandlers.class);
    private static final String NDJSON = "application/x-ndjson";
    private static final String JSON = "application/json";
    private static final String FORM = "application/x-www-form-urlencoded";

    private final IngestConfig cfg;
    private final EventSink sink;
    private final EnvelopeFactory envelopes;
    private final HeaderRedaction redaction;
    private final EventBodyParser bodies;
    private final IngestMetrics metrics;
    private final Executor responder;
    private final Admission admission;
    private final java.util.concurrent.atomic.AtomicLong lastFailureLog = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE / 2);
    private final java.util.concurrent.atomic.AtomicLong suppressedFailures = new java.util.concurrent.atomic.AtomicLong();

    IngestHandlers(IngestConfig cfg, EventSink sink, EnvelopeFactory envelopes, HeaderRedaction redaction, IngestMetrics metrics,
                   Executor responder, Admission admission) {
        this.cfg = cfg;
        this.sink = sink;
        this.envelopes = envelopes;
        this.redaction = redaction;
        this.bodies = new EventBodyParser(cfg.limits());
        this.metrics = metrics;
        this.responder = responder;
        this.admission = admission;
    }

    /** {@code /}, {@code /purchase_a_sword}, {@code /join_a_guild}: one event, answered in plain text as the seed did. */
    Handler game(String eventType, String answer) {
        return ctx -> {
            admission.enter(ctx);
            RequestInfo req = requestInfo(ctx);
            String query = ctx.queryString();
            if (query != null && query.indexOf('%') >= 0) RequestBodies.requireUtf8Form(query, "query string");
            Map<String, String> params = new TreeMap<>();
            ctx.queryParamMap().forEach((k, v) -> params.put(k, String.join(",", v)));
            String type = RequestBodies.mediaType(ctx);
            boolean hasBody = RequestBodies.bound(ctx, cfg.limits().maxBodyBytes()) > 0;
            if (hasBody) RequestBodies.requireIdentityEncoding(ctx);
            ctx.future(() -> {
                CompletableFuture<byte[]> body = hasBody ? readBody(ctx) : CompletableFuture.completedFuture(new byte[0]);
                return body.thenCompose(bytes -> {
                    Envelope env = envelopes.fromGameRequest(eventType, params, gameBody(type, bytes, params), req);
                    return produce(ctx, List.of(env), eventType, c -> c.contentType("text/plain; charset=utf-8").result(answer));
                });
            });
        };
    }

    /** {@code POST /events}: one object, an array, or NDJSON; all or nothing. */
    void events(Context ctx) {
        admission.enter(ctx);
        String type = RequestBodies.mediaType(ctx);
        EventBodyParser.Format format;
        if (type.equals(JSON)) format = EventBodyParser.Format.JSON;
        else if (type.equals(NDJSON)) format = EventBodyParser.Format.NDJSON;
        else {
            throw new InvalidEventException(415, "unsupported_media_type", "Content-Type must be " + JSON + " or "
                    + NDJSON + (type.isEmpty() ? " (none was sent)" : ", not " + type), null, null);
        }
        RequestBodies.requireIdentityEncoding(ctx);
        RequestInfo req = requestInfo(ctx);
        ctx.future(() -> readBody(ctx).thenCompose(body -> {
            List<ObjectNode> events = bodies.parse(body, format);
            List<Envelope> batch;
            try {
                batch = envelopes.fromUserEvents(events, req);
            } catch (InvalidEventException e) {
                throw new BatchRejected(e, events.size());
            }
            return produce(ctx, batch, "events", c -> {
                List<String> ids = new ArrayList<>(batch.size());
                for (Envelope e : batch) ids.add(e.eventId());
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("accepted", batch.size());
                answer.put("event_ids", ids);
                // with its length: a 1000-id answer outgrows Jetty's buffer, and without Content-Length an
                // HTTP/1.0 keep-alive client (ab -k) would see the connection closed after every batch
                byte[] json = jsonBytes(answer);
                c.contentType("application/json").header("Content-Length", Integer.toString(json.length)).result(json);
            });
        }));
    }

    /** The body, read without holding a thread (see {@link AsyncBody}); only inside {@code ctx.future}. */
    private CompletableFuture<byte[]> readBody(Context ctx) {
        return AsyncBody.read(ctx, cfg.limits().maxBodyBytes(), admission, cfg.bodyTimeout(), cfg.minDataRate());
    }

    void health(Context ctx) {
        boolean up = sink.healthy();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("status", up ? "ok" : "degraded");
        answer.put("kafka", up ? "up" : "down");
        ctx.status(up ? 200 : 503).json(answer);
    }

    void metrics(Context ctx) {
        ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape());
    }

    /** Hands the batch to the sink; answers only once every event was acknowledged, else 503. */
    private CompletableFuture<Void> produce(Context ctx, List<Envelope> batch, String endpoint, java.util.function.Consumer<Context> ok) {
        long t0 = System.nanoTime();
        CompletableFuture<Void> acked;
        try {
            acked = sink.send(batch);
        } catch (RuntimeException e) {
            acked = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Void> done = acked
                .orTimeout(cfg.produceWait().toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync((v, err) -> {
                    metrics.produced(System.nanoTime() - t0);
                    if (err == null) {
                        metrics.accepted(endpoint, batch.size());
                        ok.accept(ctx);
                    } else {
                        metrics.rejected("kafka_unavailable", batch.size());
                        String why = reason(err);
                        logProduceFailure(batch.size(), why);
                        ctx.status(503)
                                .header("Retry-After", Long.toString(cfg.retryAfter().toSeconds()))
                                .json(ApiError.of("kafka_unavailable", "events not accepted, Kafka did not acknowledge them (" + why
                                        + "): retry later"));
                    }
                    return null;
                }, responder);
        return done;
    }

    /** One line per failure, but while Kafka stays down at most one line per 10 s with a count. */
    private void logProduceFailure(int events, String why) {
        long now = System.currentTimeMillis();
        long last = lastFailureLog.get();
        if (now - last >= 10_000 && lastFailureLog.compareAndSet(last, now)) {
            long more = suppressedFailures.getAndSet(0);
            LOG.warn("kafka did not acknowledge {} event(s): {}{}", events, why,
                    more == 0 ? "" : " (" + more + " more failed requests since the last report)");
        } else {
            suppressedFailures.incrementAndGet();
        }
    }

    /** A game request's JSON object body, or its form fields merged into {@code params}; other bodies are ignored. */
    private Optional<ObjectNode> gameBody(String type, byte[] body, Map<String, String> params) {
        if (body.length == 0) return Optional.empty();
        if (body.length > cfg.limits().maxEventBytes()) {
            throw new InvalidEventException(413, "event_too_large",
                    "body has " + body.length + " bytes, more than the limit of " + cfg.limits().maxEventBytes(), null, null);
        }
        if (type.equals(JSON)) {
            EventBodyParser.requireUtf8(body);
            JsonNode node;
            try {
                node = Json.MAPPER.readTree(body);
            } catch (JacksonException e) {
                var loc = e.getLocation();
                throw InvalidEventException.badRequest(Json.reason(e), "malformed JSON"
                        + (loc == null ? "" : " at line " + loc.getLineNr() + ", column " + loc.getColumnNr())
                        + ": " + Json.problem(e));
            } catch (java.io.IOException e) {
                throw InvalidEventException.badRequest("malformed_json", "unreadable body");
            }
            if (node == null || node.isMissingNode()) return Optional.empty();
            if (!(node instanceof ObjectNode obj)) {
                throw InvalidEventException.badRequest("not_an_object", "body must be a JSON object");
            }
            return Optional.of(obj);
        }
        if (type.equals(FORM)) {
            String form = RequestBodies.utf8(body, "form body");
            RequestBodies.requireUtf8Form(form, "form body");
            for (String pair : form.split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.merge(k, v, (a, b) -> a + "," + b);
            }
        }
        return Optional.empty(); // other bodies (ab's default text/plain) are ignored, as the seed did
    }

    private RequestInfo requestInfo(Context ctx) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        var names = ctx.req().getHeaderNames();
        int fields = 0;
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            List<String> values = new ArrayList<>();
            ctx.req().getHeaders(name).asIterator().forEachRemaining(values::add);
            fields += values.size();
            if (fields > cfg.maxHeaders()) {
                throw new InvalidEventException(431, "too_many_headers",
                        "more than " + cfg.maxHeaders() + " header fields in one request", null, null);
            }
            headers.merge(name, values, (a, b) -> {
                List<String> all = new ArrayList<>(a);
                all.addAll(b);
                return all;
            });
        }
        return new RequestInfo(ctx.header("Host"), ctx.header("User-Agent"), ctx.header("Accept"),
                ctx.header("X-User-Id"), redaction.redact(headers, n -> metrics.secretsRemoved("header", n)),
                System.currentTimeMillis(), ctx.header("Idempotency-Key"),
                EnvelopeFactory.sentAtHeader(ctx.header(EnvelopeFactory.SENT_AT_HEADER)),
                cfg.trustedRequestIdHeader().isEmpty() ? "" : ctx.header(cfg.trustedRequestIdHeader()));
    }

    private static byte[] jsonBytes(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value, e); // maps of strings and numbers always serialize
        }
    }

    private static String reason(Throwable err) {
        Throwable t = err;
        while ((t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof java.util.concurrent.TimeoutException) return "no acknowledgement within " + "the produce timeout";
        String msg = t.getMessage();
        return t.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    /** A validation failure after parsing: counts every event of the refused batch as rejected. */
    static final class BatchRejected extends RuntimeException {
        final InvalidEventException cause;
        final int events;

        BatchRejected(InvalidEventException cause, int events) {
            super(cause.getMessage(), null, false, false);
            this.cause = cause;
            this.events = events;
        }
    }
}
