package io.questlog.stack.cli;

import io.questlog.contract.Env;
import io.questlog.contract.ProgressLine;
import io.questlog.stack.analysts.NamedQueries;
import io.questlog.stack.analysts.Trino;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import io.questlog.stack.local.Fetch;
import io.questlog.stack.local.StateDirs;
import io.questlog.stack.local.StreamWriterHealth;
import io.questlog.stack.local.Supervisor;
import io.questlog.stack.local.parts.Parts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * The main job: stack up, tables, load from the ab scripts and the user generator, wait until the
 * tables hold every event the API accepted in this run, then the analysts' answers through Trino.
 */
@Command(name = "demo", description = "Build if needed, start the stack, create tables, drive load, wait, print the answers.")
final class Demo implements Callable<Integer> {
    /** The analysts' first questions (named queries), answered at the end of every demo. */
    static final List<String> ANSWERS = List.of("total_events", "events_per_type", "host_sword_purchases",
            "host_guild_joins", "sessions_by_device_family");

    @ParentCommand Launcher top;
    @Mixin Launcher.Help help;

    @picocli.CommandLine.Option(names = "--cluster", description = "Run it on the cluster topology (see `up --cluster`).")
    boolean cluster;

    @Override
    public Integer call() throws Exception {
        run(StackCommands.topology(top.config(), cluster));
        return 0;
    }

    static void run(StackConfig c) throws Exception {
        long t = System.nanoTime();
        stage("1/5 fetch and start the stack");
        Supervisor sup = new Supervisor(c);
        sup.checkPorts(Parts.of(c));
        Fetch.all(c);
        sup.up(Parts.of(c));
        t = done(t);

        Instant start = Instant.now().minusSeconds(1);
        stage("2/5 user events: 200 simulated users over the last 3 hours, sent in time order\n   (before live traffic: the sessions' watermark follows the newest event time, so back-dated events come first)");
        Path manifest = c.home().resolve("demo/manifest.ndjson");
        StateDirs.create(c, manifest.getParent());
        Files.deleteIfExists(manifest);
        exec(Load.command(c, "users", List.of("--users", "200", "--hours", "3", "--seed", String.valueOf(start.toEpochMilli()), "--manifest", manifest.toString())));
        long usersAccepted;
        try (var lines = Files.lines(manifest)) {
            usersAccepted = lines.filter(l -> !l.isBlank()).count();
        }
        System.out.println("generator: " + usersAccepted + " events accepted");
        t = done(t);

        stage("3/5 game traffic: ab on /, /purchase_a_sword, /join_a_guild for user1.comcast.com and user2.att.com");
        Path tally = c.home().resolve("demo/ab-tally.tsv");
        Files.deleteIfExists(tally);
        exec(Load.command(c, "ab", List.of("-n", "200", "-c", "4", "--tally", tally.toString())));
        // tally columns: host endpoint event_type complete_requests failed_requests non_2xx accepted status
        List<String[]> rows = Files.readAllLines(tally).stream().skip(1).map(l -> l.split("\t")).toList();
        if (rows.stream().anyMatch(f -> !f[7].equals("ok"))) {
            throw new StackException("some ab requests failed, so the accepted count is not exact: see " + tally + " and " + c.log("ingest-api"));
        }
        long abAccepted = rows.stream().mapToLong(f -> Long.parseLong(f[6])).sum();
        System.out.println("ab: " + abAccepted + " events accepted");
        t = done(t);

        long expected = abAccepted + usersAccepted;
        stage("4/5 wait until Trino sees all " + expected + " events accepted in this run");
        Trino trino = new Trino(c);
        String since = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC).format(start);
        String countSql = "SELECT count(*) FROM events WHERE received_ts >= TIMESTAMP '" + since + "'";
        long deadline = System.currentTimeMillis() + 10 * 60_000;
        long seen = -1;
        Instant lastShort = start; // the last poll that saw fewer events than accepted
        Instant allSeen;           // the poll that saw them all
        while (true) {
            Instant pollAt = Instant.now();
            long now = trino.count(countSql);
            if (now != seen) System.out.printf("  events visible: %d / %d%n", now, expected);
            seen = now;
            if (now == expected) {
                allSeen = pollAt;
                break;
            }
            lastShort = pollAt;
            if (now > expected) throw new StackException("Trino shows " + now + " events of this run but the API accepted "
                    + expected + ": duplicates? see " + c.log("stream-writer"));
            if (System.currentTimeMillis() > deadline) throw new StackException("only " + now + " of " + expected
                    + " events visible after 10 minutes: see " + c.log("stream-writer"));
            Thread.sleep(2000);
        }
        // The batch that published the last events also emits the sessions they closed: wait until a batch
        // ended after the last poll that saw fewer events, and the job has been idle for a trigger interval;
        // or until it reports idle with no lag after the poll that saw them all (no batch runs then).
        Instant since0 = lastShort;
        long idleMs = Env.parseDuration(c.trigger()).toMillis() + 5000;
        ProgressLine batch = null; // the last batch line seen
        ProgressLine line;
        long unchangedSince = System.currentTimeMillis();
        while (true) {
            line = StreamWriterHealth.lastLine(c).flatMap(ProgressLine::parse).orElse(null);
            // idle and waiting heartbeats rewrite the file too: only a batch line moves the batch end
            if (line != null && line.kind() == ProgressLine.Kind.BATCH && (batch == null || !line.at().equals(batch.at()))) {
                batch = line;
                unchangedSince = System.currentTimeMillis();
            }
            if (batch != null && batch.at().isAfter(since0) && System.currentTimeMillis() - unchangedSince >= idleMs) break;
            if (line != null && line.idleNoLag() && line.at().isAfter(allSeen)) break;
            if (System.currentTimeMillis() > deadline) throw new StackException("the stream-writer finished no batch after "
                    + since0 + ": see " + c.log("stream-writer"));
            Thread.sleep(1000);
        }
        System.out.println("  stream-writer: " + (batch != null ? batch : line).text());
        t = done(t);

        stage("5/5 the analysts' answers (Presto SQL through Trino)");
        NamedQueries queries = new NamedQueries();
        for (String name : ANSWERS) {
            System.out.println("\n" + queries.title(name) + "   (./questlog query " + name + ")");
            System.out.print(Trino.format(trino.query(queries.sql(name))));
        }
        System.out.println("\nsessions appear once closed: 30 minutes of inactivity plus the watermark after a user's last event.");
        done(t);
        System.out.println();
        new Supervisor(c).status(Parts.of(c));
        System.out.println("\nThe stack is still up: ./questlog sql \"SELECT ...\", ./questlog status, ./questlog down");
    }

    private static void stage(String name) {
        System.out.println("\n== " + name);
    }

    private static long done(long t0) {
        System.out.printf("   (%.1f s)%n", (System.nanoTime() - t0) / 1e9);
        return System.nanoTime();
    }

    private static void exec(ProcessBuilder pb) throws Exception {
        int rc = pb.inheritIO().redirectInput(new File("/dev/null")).start().waitFor();
        if (rc != 0) throw new StackException(String.join(" ", pb.command()) + " failed (exit " + rc + ")");
    }
}
