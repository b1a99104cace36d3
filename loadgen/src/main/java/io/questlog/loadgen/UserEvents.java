package io.questlog.loadgen;

import io.questlog.loadgen.manifest.Manifest;
import io.questlog.loadgen.send.Batch;
import io.questlog.loadgen.send.EventSender;
import io.questlog.loadgen.send.SendTotals;
import io.questlog.loadgen.simulate.MarketingSimulator;
import io.questlog.loadgen.simulate.UserEvent;
import io.questlog.loadgen.simulate.UserSimulator;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Entry point of loadgen.jar: simulate users, post their events, write the manifest, print totals. */
public final class UserEvents {

    private UserEvents() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** @return the process exit status */
    static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.print(LoadgenConfig.usage(environment));
            return 0;
        }
        LoadgenConfig cfg;
        try {
            cfg = LoadgenConfig.parse(args, environment);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.println("Run with --help for the options.");
            return 2;
        }

        long now = Instant.now().toEpochMilli();
        List<UserEvent> events = cfg.scenario() == LoadgenConfig.Scenario.marketing
                ? MarketingSimulator.simulate(new MarketingSimulator.Spec(cfg.users(), cfg.span(), cfg.seed()), now)
                : UserSimulator.simulate(new UserSimulator.Spec(cfg.users(), cfg.span(), cfg.sessionGap(), cfg.seed()), now);
        List<Batch> batches = Batch.plan(events, cfg.batchSize());
        out.printf("[loadgen] seed=%d%s: %d users, %d events between %s and %s, %d requests to %s/events%n",
                cfg.seed(), cfg.seedGiven() ? "" : " (rerun with --seed " + cfg.seed() + ")", cfg.users(),
                events.size(), Instant.ofEpochMilli(now - cfg.span().toMillis()), Instant.ofEpochMilli(now),
                batches.size(), cfg.ingestUrl().toString().replaceAll("/+$", ""));
        out.println("[loadgen] event types: " + countBy(events, UserEvent::eventType));

        Manifest.Writer manifest = cfg.manifest().isPresent() ? new Manifest.Writer(cfg.manifest().get()) : null;
        Consumer<List<UserEvent>> sink = manifest == null ? accepted -> { } : manifest::write;
        EventSender.Options opts = new EventSender.Options(cfg.senders(), cfg.maxAttempts(), Duration.ofMillis(200),
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(2));
        long t0 = System.nanoTime();
        SendTotals totals;
        try {
            totals = new EventSender(cfg.ingestUrl(), opts, sink, out).send(batches);
        } finally {
            if (manifest != null) manifest.close();
        }
        double secs = Math.max(1e-3, (System.nanoTime() - t0) / 1e9);
        out.printf("[loadgen] done in %.1fs: accepted=%d rejected=%d retried=%d requests (%d events) sent=%d (%.0f events/s)%n",
                secs, totals.accepted(), totals.rejected(), totals.retriedRequests(), totals.retriedEvents(),
                totals.sent(), totals.accepted() / secs);
        cfg.manifest().ifPresent(p -> out.println("[loadgen] manifest: " + p.toAbsolutePath() + " (" + totals.accepted() + " lines)"));
        if (totals.rejected() > 0) {
            err.printf("[loadgen] %d events were not accepted; see the messages above%n", totals.rejected());
            return 1;
        }
        return 0;
    }

    private static Map<String, Integer> countBy(List<UserEvent> events, java.util.function.Function<UserEvent, String> key) {
        Map<String, Integer> m = new TreeMap<>();
        events.forEach(e -> m.merge(key.apply(e), 1, Integer::sum));
        return m;
    }
}
