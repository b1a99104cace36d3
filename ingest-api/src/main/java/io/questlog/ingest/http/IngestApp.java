package io.questlog.ingest.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.json.JavalinJackson;
import io.questlog.contract.EventTypes;
import io.questlog.ingest.IngestConfig;
import io.questlog.ingest.event.EnvelopeFactory;
import io.questlog.ingest.event.HeaderRedaction;
import io.questlog.ingest.event.InvalidEventException;
import io.questlog.ingest.event.Json;
import io.questlog.ingest.event.SecretNames;
import io.questlog.ingest.event.UserAgentFamilies;
import io.questlog.ingest.kafka.EventSink;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.ConnectionLimit;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/** Assembles the ingest HTTP API. The caller starts it ({@code app.start(host, port)}) and stops it. */
public final class IngestApp {
    private static final Logger LOG = LoggerFactory.getLogger(IngestApp.class);
    private static final Set<String> ROUTES = Set.of("/", "/purchase_a_sword", "/join_a_guild", "/events", "/health", "/metrics");

    private IngestApp() {
    }

    public static Javalin create(IngestConfig cfg, EventSink sink, IngestMetrics metrics) {
        QueuedThreadPool threads = new QueuedThreadPool(200, 8, 60_000);
        threads.setName("ingest-http");
        SecretNames secrets = new SecretNames(cfg.secretNames());
        EnvelopeFactory envelopes = new EnvelopeFactory(new UserAgentFamilies(cfg.uaCacheSize()), cfg.limits(), secrets,
                metrics::secretsRemoved, EnvelopeFactory.randomIds());
        // Kafka acks arrive on the producer's I/O thread: the answers are written from Jetty's pool instead
        Admission admission = new Admission(cfg.maxInFlight(), cfg.maxInFlightBytes());
        metrics.watch(admission);
        IngestHandlers h = new IngestHandlers(cfg, sink, envelopes, new HeaderRedaction(secrets), metrics, threads, admission);
        ApiKeys apiKeys = new ApiKeys(cfg.apiKeys());
        Cors cors = new Cors(cfg.corsOrigins());
        long retryAfter = cfg.retryAfter().toSeconds();

        return Javalin.create(config -> {
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.jetty.threadPool = threads;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = cfg.limits().maxBodyBytes();
            config.http.disableCompression();
            // No Jetty minimum data rate: it is checked at every read of the request's content, the one Jetty makes
            // when the response completes too, so a small body whose answer waited a second for Kafka became a 408.
            // AsyncBody applies the rate while it reads the body, and only then.
            config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
            // Jetty's own refusals (unparseable HTTP, header floods) in the same JSON shape as ours
            config.jetty.modifyServer(server -> {
                server.setErrorHandler(new JsonErrorHandler(metrics));
                // open connections are bounded too: at the limit Jetty stops accepting until one closes
                server.addBean(new ConnectionLimit(cfg.maxConnections(), server));
                // Javalin adds its connector just before starting the server
                server.addEventListener(new LifeCycle.Listener() {
                    @Override
                    public void lifeCycleStarting(LifeCycle event) {
                        for (Connector c : server.getConnectors()) {
                            if (c instanceof AbstractConnector a) a.setIdleTimeout(cfg.idleTimeout().toMillis());
                        }
                    }
                });
            });
            config.requestLogger.http((ctx, ms) -> {
                admission.release(ctx);
                metrics.requestFinished(routeLabel(ctx), ctx.method().name(), ctx.statusCode());
            });

            config.router.mount(r -> {
                r.before(ctx -> {
                    metrics.requestStarted();
                    cors.apply(ctx);
                });
                r.before("/events", ctx -> {
                    if (ctx.method() == HandlerType.POST) apiKeys.check(ctx);
                });
                for (HandlerType method : new HandlerType[]{HandlerType.GET, HandlerType.POST}) {
                    r.addHttpHandler(method, "/", h.game(EventTypes.DEFAULT, "This is the default response!\n"));
                    r.addHttpHandler(method, "/purchase_a_sword", h.game(EventTypes.PURCHASE_SWORD, "Sword Purchased!\n"));
                    r.addHttpHandler(method, "/join_a_guild", h.game(EventTypes.JOIN_GUILD, "Joined a Guild!\n"));
                }
                r.post("/events", h::events);
                r.get("/health", h::health);
                r.get("/metrics", h::metrics);
                if (cors.enabled()) {
                    for (String path : new String[]{"/", "/purchase_a_sword", "/join_a_guild"}) {
                        r.addHttpHandler(HandlerType.OPTIONS, path, ctx -> cors.preflight(ctx, "GET, POST"));
                    }
                    r.addHttpHandler(HandlerType.OPTIONS, "/events", ctx -> cors.preflight(ctx, "POST"));
                }

                r.exception(InvalidEventException.class, (e, ctx) -> refuse(ctx, metrics, e, 1, retryAfter));
                r.exception(IngestHandlers.BatchRejected.class, (e, ctx) -> refuse(ctx, metrics, e.cause, e.events, retryAfter));
                r.exception(Exception.class, (e, ctx) -> {
                    LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                    ctx.status(500).json(ApiError.of("internal_error", "internal error: " + e.getClass().getSimpleName()));
                });
                r.error(404, ctx -> ctx.json(ApiError.of("no_such_route", "no such route: " + ctx.method() + " " + ctx.path()
                        + " (routes: GET|POST /, /purchase_a_sword, /join_a_guild; POST /events; GET /health, /metrics)")));
                r.error(405, ctx -> ctx.json(ApiError.of("method_not_allowed", "method " + ctx.method() + " not allowed on " + ctx.path())));
            });
        });
    }

    private static void refuse(Context ctx, IngestMetrics metrics, InvalidEventException e, int events, long retryAfterSeconds) {
        metrics.rejected(e.reason(), events);
        // overload is counted in the metrics, not logged per request (that would be a flood of its own)
        if (e.status() != 503) LOG.info("refused {} {}: {} {}", ctx.method(), ctx.path(), e.status(), e.getMessage());
        if (e.status() == 503) ctx.header("Retry-After", Long.toString(retryAfterSeconds));
        if (e.status() == 401) ctx.header("WWW-Authenticate", "Bearer realm=\"questlog\"");
        ctx.status(e.status()).json(ApiError.of(e));
    }

    private static String routeLabel(Context ctx) {
        return ROUTES.contains(ctx.path()) ? ctx.path() : "other";
    }
}
