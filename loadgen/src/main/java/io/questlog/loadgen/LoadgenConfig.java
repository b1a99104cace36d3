package io.questlog.loadgen;

import io.questlog.contract.Env;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Settings of the user-event generator. Every flag has a {@code QUESTLOG_*} variable as its
 * default; a flag given on the command line wins. All problems are reported together.
 */
public record LoadgenConfig(URI ingestUrl, int users, Duration span, long seed, boolean seedGiven,
                            int batchSize, int senders, Optional<Path> manifest, Duration sessionGap,
                            int maxAttempts) {

    /** flag -> variable it overrides, with the text --help shows. */
    static final Map<String, String[]> FLAGS = new LinkedHashMap<>();

    static {
        FLAGS.put("--url", new String[] {"ingest_url", "URL", "ingest-api base URL (default http://127.0.0.1:5000)"});
        FLAGS.put("--users", new String[] {"load_users", "N", "simulated users (default 200)"});
        FLAGS.put("--hours", new String[] {"load_hours", "H", "simulated span ending now: hours, or a duration like 90m (default 3)"});
        FLAGS.put("--seed", new String[] {"load_seed", "S", "random seed; same seed, same events and event_ids (default: random, printed)"});
        FLAGS.put("--batch", new String[] {"load_batch", "N", "max events per POST (default 500)"});
        FLAGS.put("--senders", new String[] {"load_senders", "N", "concurrent senders (default 4)"});
        FLAGS.put("--manifest", new String[] {"load_manifest", "PATH", "write every accepted event here as NDJSON (default: none)"});
        FLAGS.put("--gap", new String[] {"session_gap", "DURATION", "session gap the idle times are drawn around (default 30 minutes)"});
        FLAGS.put("--max-attempts", new String[] {"load_max_attempts", "N", "attempts per request on 503/429/connection errors (default 8)"});
    }

    public static String usage() {
        StringBuilder b = new StringBuilder("""
                Usage: java -jar loadgen/target/loadgen.jar [--url URL] [--users N] [--hours H] [--seed S]
                           [--batch N] [--senders N] [--manifest PATH] [--gap DURATION] [--max-attempts N]

                Simulates users with realistic devices and sessions over the last H hours, posts their
                events as NDJSON to URL/events and prints progress every 2 s and totals at the end.
                Exit status 0 when every event was accepted, 1 when some were rejected, 2 on bad settings.

                """);
        FLAGS.forEach((flag, v) -> b.append(String.format("  %-14s %-9s %s  [%s]%n", flag, v[1], v[2], Env.varName(v[0]))));
        return b.toString();
    }

    /** @throws IllegalArgumentException listing every bad setting */
    public static LoadgenConfig parse(String[] args, Map<String, String> environment) {
        Map<String, String> vars = new HashMap<>(environment);
        StringBuilder flagErrors = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            String[] spec = FLAGS.get(a);
            if (spec == null) {
                flagErrors.append("unknown option ").append(args[i]).append('\n');
                if (value == null && i + 1 < args.length && !args[i + 1].startsWith("-")) i++;
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    flagErrors.append(a).append(" needs a value\n");
                    continue;
                }
                value = args[++i];
            }
            vars.put(Env.varName(spec[0]), value);
        }

        Env env = new Env(vars);
        flagErrors.toString().lines().forEach(env::error);
        String url = env.string("ingest_url", "http://127.0.0.1:5000");
        URI uri = null;
        try {
            uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                env.error(Env.varName("ingest_url") + "=" + url + " is not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            env.error(Env.varName("ingest_url") + "=" + url + " is not a URL");
        }
        int users = positive(env, "load_users", 200);
        Duration span = span(env);
        String seedText = env.string("load_seed", null);
        long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
        if (seedText != null) {
            try {
                seed = Long.parseLong(seedText);
            } catch (NumberFormatException e) {
                env.error(Env.varName("load_seed") + "=" + seedText + " is not an integer");
            }
        }
        int batch = positive(env, "load_batch", 500);
        int senders = positive(env, "load_senders", 4);
        Optional<Path> manifest = Optional.ofNullable(env.string("load_manifest", null)).map(Path::of);
        Duration gap = env.duration("session_gap", "30 minutes");
        if (gap.toSeconds() < 1) env.error(Env.varName("session_gap") + " must be at least 1 second");
        int maxAttempts = positive(env, "load_max_attempts", 8);
        env.validate("loadgen");
        return new LoadgenConfig(uri, users, span, seed, seedText != null, batch, senders, manifest, gap, maxAttempts);
    }

    private static int positive(Env env, String name, int dflt) {
        int v = env.integer(name, dflt);
        if (v < 1) {
            env.error(Env.varName(name) + "=" + v + " must be >= 1");
            return dflt;
        }
        return v;
    }

    private static Duration span(Env env) {
        String v = env.string("load_hours", "3");
        Duration d;
        if (v.matches("\\d+(\\.\\d+)?")) {
            d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 3_600_000));
        } else {
            d = Env.parseDuration(v);
        }
        if (d == null || d.isZero()) {
            env.error(Env.varName("load_hours") + "=" + v + " is not a positive number of hours or a duration (e.g. 3, 1.5, 90m)");
            return Duration.ofHours(3);
        }
        return d;
    }
}
