package io.questlog.loadgen;

import static io.questlog.contract.Settings.INGEST_URL;
import static io.questlog.contract.Settings.LOAD_BATCH;
import static io.questlog.contract.Settings.LOAD_HOURS;
import static io.questlog.contract.Settings.LOAD_MANIFEST;
import static io.questlog.contract.Settings.LOAD_MAX_ATTEMPTS;
import static io.questlog.contract.Settings.LOAD_SCENARIO;
import static io.questlog.contract.Settings.LOAD_SEED;
import static io.questlog.contract.Settings.LOAD_SENDERS;
import static io.questlog.contract.Settings.LOAD_USERS;
import static io.questlog.contract.Settings.SESSION_GAP;
import io.questlog.contract.Env;
import io.questlog.contract.Setting;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Settings of the user-event generator. Every flag has a {@code QUESTLOG_*} variable as its
 * default; a flag given on the command line wins. All problems are reported together.
 */
public record LoadgenConfig(URI ingestUrl, int users, Duration span, long seed, boolean seedGiven,
                            int batchSize, int senders, Optional<Path> manifest, Duration sessionGap,
                            int maxAttempts, Scenario scenario) {

    /** Which seed's data the generator simulates. */
    public enum Scenario { game, marketing }

    /** A command-line option and the setting it overrides; --help shows the setting's default when its variable is unset. */
    record Flag(String name, Setting setting, String label, String description) {
        String var() {
            return setting.name();
        }

        String dflt() {
            return setting.dflt() != null ? setting.dflt() : setting == LOAD_SEED ? "random, printed" : "none";
        }
    }

    static final List<Flag> FLAGS = List.of(
            new Flag("--url", INGEST_URL, "URL", "ingest-api base URL"),
            new Flag("--scenario", LOAD_SCENARIO, "NAME", "game (players, swords, guilds) or marketing (campaigns, purchases, first-seen users)"),
            new Flag("--users", LOAD_USERS, "N", "simulated users"),
            new Flag("--hours", LOAD_HOURS, "H", "simulated span ending now: hours, or a duration like 90m or 70d"),
            new Flag("--seed", LOAD_SEED, "S", "random seed; same seed, same events and event_ids"),
            new Flag("--batch", LOAD_BATCH, "N", "max events per POST"),
            new Flag("--senders", LOAD_SENDERS, "N", "concurrent senders"),
            new Flag("--manifest", LOAD_MANIFEST, "PATH", "write every accepted event here as NDJSON"),
            new Flag("--gap", SESSION_GAP, "DURATION", "session gap the idle times are drawn around"),
            new Flag("--max-attempts", LOAD_MAX_ATTEMPTS, "N", "attempts per request on 503/429/connection errors"));

    /**
     * The command line as picocli reads it: only which options were given, as text; their values are checked
     * below with the variables', so every problem is reported at once. --help shows each option's default: its
     * variable's value if set, else the built-in one.
     */
    static CommandLine commandLine(Map<String, String> environment) {
        CommandSpec spec = CommandSpec.create().name("java -jar loadgen/target/loadgen.jar");
        spec.usageMessage()
                .description("Simulates users with realistic devices and sessions over the last H hours, posts their"
                                + " events as NDJSON to URL/events and prints progress every 2 s and totals at the end.",
                        "Exit status 0 when every event was accepted, 1 when some were rejected, 2 on bad settings."
                                + " Each option defaults to the variable in [brackets].", "")
                .showDefaultValues(true)
                .sortOptions(false);
        spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).description("show this help and exit").build());
        for (Flag f : FLAGS) {
            spec.addOption(OptionSpec.builder(f.name()).paramLabel(f.label()).type(String.class)
                    .description(f.description() + " [" + Env.varName(f.var()) + "]")
                    .defaultValue(environment.getOrDefault(Env.varName(f.var()), f.dflt())).build());
        }
        spec.parser().collectErrors(true).overwrittenOptionsAllowed(true);
        return new CommandLine(spec);
    }

    public static String usage(Map<String, String> environment) {
        return commandLine(environment).getUsageMessage();
    }

    /** @throws IllegalArgumentException listing every bad setting */
    public static LoadgenConfig parse(String[] args, Map<String, String> environment) {
        Map<String, String> vars = new HashMap<>(environment);
        ParseResult given = commandLine(environment).parseArgs(args);
        for (Flag f : FLAGS) {
            if (given.hasMatchedOption(f.name())) vars.put(Env.varName(f.var()), given.matchedOptionValue(f.name(), ""));
        }

        Env env = new Env(vars);
        given.errors().forEach(e -> problems(e).forEach(env::error));
        String url = env.string(INGEST_URL);
        URI uri = null;
        try {
            uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                env.error(INGEST_URL.var() + "=" + url + " is not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            env.error(INGEST_URL.var() + "=" + url + " is not a URL");
        }
        int users = positive(env, LOAD_USERS);
        Duration span = span(env);
        String seedText = env.string(LOAD_SEED);
        long seed = ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
        if (seedText != null) {
            try {
                seed = Long.parseLong(seedText);
            } catch (NumberFormatException e) {
                env.error(LOAD_SEED.var() + "=" + seedText + " is not an integer");
            }
        }
        int batch = positive(env, LOAD_BATCH);
        int senders = positive(env, LOAD_SENDERS);
        Optional<Path> manifest = Optional.ofNullable(env.string(LOAD_MANIFEST)).map(Path::of);
        Duration gap = env.duration(SESSION_GAP);
        if (gap.toSeconds() < 1) env.error(SESSION_GAP.var() + " must be at least 1 second");
        int maxAttempts = positive(env, LOAD_MAX_ATTEMPTS);
        Scenario scenario = Scenario.game;
        try {
            scenario = Scenario.valueOf(env.string(LOAD_SCENARIO));
        } catch (IllegalArgumentException e) {
            env.error(LOAD_SCENARIO.var() + "=" + env.string(LOAD_SCENARIO) + " must be game or marketing");
        }
        env.validate("loadgen");
        return new LoadgenConfig(uri, users, span, seed, seedText != null, batch, senders, manifest, gap, maxAttempts, scenario);
    }

    /** picocli's parse errors in this command's words: an unknown option with picocli's suggestions. */
    private static List<String> problems(Exception e) {
        if (e instanceof UnmatchedArgumentException u) {
            List<String> out = new ArrayList<>();
            boolean afterOption = false;
            for (String arg : u.getUnmatched()) {
                if (arg.startsWith("-")) {
                    List<String> like = u.getSuggestions();
                    out.add("unknown option " + arg + (like.isEmpty() ? "" : " (did you mean " + String.join(" or ", like) + "?)"));
                    afterOption = true;
                } else if (!afterOption) {
                    out.add("unexpected argument " + arg);
                } else {
                    afterOption = false; // the unknown option's value
                }
            }
            return out;
        }
        if (e instanceof MissingParameterException m) {
            return m.getMissing().stream().map(a -> (a instanceof OptionSpec o ? o.longestName() : a.paramLabel()) + " needs a value").toList();
        }
        return List.of(e.getMessage());
    }

    private static int positive(Env env, Setting s) {
        int v = env.integer(s);
        if (v < 1) {
            env.error(s.var() + "=" + v + " must be >= 1");
            return s.intDefault();
        }
        return v;
    }

    private static Duration span(Env env) {
        String v = env.string(LOAD_HOURS);
        Duration d;
        if (v.matches("\\d+(\\.\\d+)?")) {
            d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 3_600_000));
        } else {
            d = Env.parseDuration(v);
        }
        if (d == null || d.isZero()) {
            env.error(LOAD_HOURS.var() + "=" + v + " is not a positive number of hours or a duration (e.g. 3, 1.5, 90m)");
            return Duration.ofHours(3);
        }
        return d;
    }
}
