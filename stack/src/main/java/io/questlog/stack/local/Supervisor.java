package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts parts as background processes (own session, output to .questlog/logs/NAME.log, pid in
 * .questlog/run/NAME.pid), waits for their health checks, and stops only what it started.
 */
public final class Supervisor {
    private final StackConfig c;

    public Supervisor(StackConfig c) {
        this.c = c;
    }

    /** When the part's recorded process started (epoch ms; 0 if no pid file). */
    public static long startedMs(StackConfig c, String part) {
        try {
            return Long.parseLong(Files.readString(c.pidFile(part)).trim().split("\\s+")[1]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The pid of a running part we started, if any (a pid file whose process is gone or reused is stale). */
    public Optional<ProcessHandle> running(Part p) {
        Path f = c.pidFile(p.name());
        try {
            if (!Files.exists(f)) return Optional.empty();
            String[] s = Files.readString(f).trim().split("\\s+");
            long startedMs = Long.parseLong(s[1]);
            return ProcessHandle.of(Long.parseLong(s[0])).filter(ProcessHandle::isAlive)
                    .filter(h -> h.info().startInstant().map(i -> Math.abs(i.toEpochMilli() - startedMs) < 2000).orElse(false));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Brings the given parts up, each once its dependencies answer, in parallel where they allow it.
     * Parts already running are left alone (so a second `up` restarts only what is down).
     */
    public void up(List<Part> parts) throws IOException, InterruptedException {
        Map<String, Part> todo = new LinkedHashMap<>();
        parts.forEach(p -> todo.put(p.name(), p));
        Set<String> healthy = new HashSet<>();
        Map<String, Process> starting = new HashMap<>();
        Map<String, Instant> deadline = new HashMap<>();
        Map<String, Instant> began = new HashMap<>();
        Set<String> names = todo.keySet();
        Instant t0 = Instant.now();
        while (healthy.size() < todo.size()) {
            for (Part p : todo.values()) {
                String n = p.name();
                if (healthy.contains(n) || starting.containsKey(n)) continue;
                boolean ready = p.after().stream().allMatch(d -> healthy.contains(d) || !names.contains(d));
                if (!ready) continue;
                if (running(p).isPresent() && p.health().ok(c)) {
                    System.out.printf("  %-14s already up%n", n);
                    healthy.add(n);
                    continue;
                }
                if (running(p).isPresent()) {
                    // ours but not answering yet (e.g. started by an `up` that was interrupted): wait for it
                    starting.put(n, null);
                } else {
                    starting.put(n, start(p));
                }
                began.put(n, Instant.now());
                deadline.put(n, Instant.now().plus(p.startTimeout()));
            }
            for (String n : new ArrayList<>(starting.keySet())) {
                Part p = todo.get(n);
                Process proc = starting.get(n);
                if (p.health().ok(c)) {
                    starting.remove(n);
                    healthy.add(n);
                    System.out.printf("  %-14s up   %5.1f s  %s%n", n, Duration.between(began.get(n), Instant.now()).toMillis() / 1000.0,
                            p.portOf(c) > 0 ? "port " + p.portOf(c) : "");
                } else if (proc != null && !proc.isAlive()) {
                    throw new StackException(n + " failed to start (exit " + proc.exitValue() + "): see " + c.log(n) + "\n" + Logs.tail(c.log(n), 20));
                } else if (Instant.now().isAfter(deadline.get(n))) {
                    throw new StackException(n + " did not answer its health check within " + p.startTimeout().toSeconds()
                            + " s: see " + c.log(n) + "\n" + Logs.tail(c.log(n), 20));
                }
            }
            if (healthy.size() < todo.size()) Thread.sleep(500);
        }
        System.out.printf("stack up in %.1f s%n", Duration.between(t0, Instant.now()).toMillis() / 1000.0);
    }

    /**
     * Before anything is fetched or started: every port a part that is not running would bind must be free, so a
     * taken port stops `up` and `demo` in their first second, not after minutes of downloads.
     */
    public void checkPorts(List<Part> parts) {
        List<String> taken = new ArrayList<>();
        for (Part p : parts) {
            int port = p.portOf(c);
            if (port > 0 && running(p).isEmpty() && Health.portOpen(c.host(), port)) taken.add(port + " (" + p.name() + ")");
        }
        if (!taken.isEmpty()) {
            throw new StackException("port " + String.join(", ", taken) + " taken by another program: stop it, or move the stack"
                    + " with QUESTLOG_PORT_OFFSET (e.g. QUESTLOG_PORT_OFFSET=10000 ./questlog up)");
        }
    }

    Process start(Part p) throws IOException, InterruptedException {
        int port = p.portOf(c);
        if (port > 0 && Health.portOpen(c.host(), port)) {
            throw new StackException("port " + port + " (" + p.name() + ") is taken by another process: stop it, or move "
                    + "the stack with QUESTLOG_PORT_OFFSET or QUESTLOG_" + p.name().toUpperCase().replace('-', '_') + "_PORT");
        }
        System.out.printf("  %-14s starting (log: %s)%n", p.name(), c.home().relativize(c.log(p.name())));
        StateDirs.layout(c); // before prepare: folders a part makes (Kafka's data/kafka) land in owner-only ones
        p.prepare().run(c);
        ProcessBuilder pb = p.command().build(c);
        List<String> cmd = new ArrayList<>(pb.command());
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add(0, "/usr/bin/setsid"); // own session: the part outlives this launcher and a Ctrl-C in its terminal
        }
        pb.command(cmd);
        pb.redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(c.log(p.name()).toFile()))
                .redirectInput(new File("/dev/null"));
        Files.writeString(c.log(p.name()), "---- " + Instant.now() + " " + String.join(" ", cmd) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process proc = pb.start();
        long started = proc.info().startInstant().map(Instant::toEpochMilli).orElse(System.currentTimeMillis());
        Files.writeString(c.pidFile(p.name()), proc.pid() + " " + started + "\n");
        return proc;
    }

    /** Runs one part in this terminal until it exits: the same files and command line as `up` uses. */
    public int runForeground(Part p) throws IOException, InterruptedException {
        StateDirs.layout(c);
        p.prepare().run(c);
        return p.command().build(c).inheritIO().start().waitFor();
    }

    /** Stops the part if we started it: SIGTERM to it and its children, SIGKILL after a grace period. */
    public boolean stop(Part p) throws InterruptedException, IOException {
        p.beforeStop().run(c);
        Optional<ProcessHandle> h = running(p);
        Files.deleteIfExists(c.pidFile(p.name()));
        if (h.isEmpty()) return false;
        List<ProcessHandle> tree = new ArrayList<>(h.get().descendants().toList());
        tree.add(h.get());
        tree.forEach(ProcessHandle::destroy);
        long until = System.currentTimeMillis() + 30_000;
        while (tree.stream().anyMatch(ProcessHandle::isAlive) && System.currentTimeMillis() < until) Thread.sleep(200);
        tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        return true;
    }

    /** Resident and peak resident memory (VmRSS, VmHWM) of a process and its children, in MB. */
    static long[] memoryMb(ProcessHandle h) {
        long[] kb = {0, 0};
        java.util.stream.Stream.concat(java.util.stream.Stream.of(h), h.descendants()).forEach(p -> {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(p.pid()), "status"))) {
                    if (line.startsWith("VmRSS:")) kb[0] += Long.parseLong(line.replaceAll("\\D", ""));
                    if (line.startsWith("VmHWM:")) kb[1] += Long.parseLong(line.replaceAll("\\D", ""));
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile, or not Linux: count nothing
            }
        });
        return new long[] {kb[0] / 1024, kb[1] / 1024};
    }

    public void down(List<Part> parts) throws InterruptedException, IOException {
        List<Part> reversed = new ArrayList<>(parts);
        java.util.Collections.reverse(reversed);
        for (Part p : reversed) {
            System.out.printf("  %-14s %s%n", p.name(), stop(p) ? "stopped" : "was not running");
        }
    }

    /** Prints each part's state; true if every part is up (the stream-writer: a recent batch or idle with no lag). */
    public boolean status(List<Part> parts) {
        System.out.printf("%-14s %-8s %-7s %-8s %8s %8s  %s%n", "PART", "STATE", "PORT", "PID", "RSS_MB", "PEAK_MB", "LOG");
        long rss = 0, peak = 0;
        boolean allUp = true;
        List<String> details = new ArrayList<>();
        for (Part p : parts) {
            Optional<ProcessHandle> h = running(p);
            String state;
            if (p.name().equals(STREAM_WRITER)) {
                String line = StreamWriterHealth.lastLine(c).orElse(null);
                if (h.isEmpty()) {
                    state = "down";
                    if (line != null) details.add(p.name() + ": down; last progress line: " + line);
                } else {
                    StreamWriterHealth.Status s = StreamWriterHealth.classify(line, h.get().info().startInstant().orElse(null),
                            Instant.now(), StreamWriterHealth.freshness(c.trigger()));
                    state = s.state();
                    details.add(p.name() + ": " + s.detail());
                }
            } else {
                state = h.isEmpty() ? "down" : p.health().ok(c) ? "up" : "starting";
            }
            allUp &= state.equals("up");
            long[] mem = h.map(Supervisor::memoryMb).orElse(new long[] {0, 0});
            rss += mem[0];
            peak += mem[1];
            System.out.printf("%-14s %-8s %-7s %-8s %8s %8s  %s%n", p.name(), state, p.portOf(c) > 0 ? p.portOf(c) : "-",
                    h.map(x -> String.valueOf(x.pid())).orElse("-"), h.isPresent() ? mem[0] : "-", h.isPresent() ? mem[1] : "-",
                    c.log(p.name()));
        }
        System.out.printf("%-41s %8d %8d  (resident now / each process's peak, summed)%n", "total", rss, peak);
        details.addAll(launched(parts));
        details.forEach(System.out::println);
        return allUp;
    }

    /**
     * What the cluster's Spark Workers launched (the stream-writer's driver, executors): counted in their Worker's row,
     * named here with their own memory.
     */
    List<String> launched(List<Part> parts) {
        List<String> out = new ArrayList<>();
        for (Part p : parts) {
            if (!p.name().startsWith("spark-worker-")) continue;
            running(p).ifPresent(w -> w.descendants().forEach(d -> {
                String args = String.join(" ", d.info().arguments().orElse(new String[0]));
                String what = args.contains("org.apache.spark.deploy.worker.DriverWrapper") ? "driver (DriverWrapper)"
                        : args.contains("CoarseGrainedExecutorBackend") ? "executor" : null;
                if (what == null) return;
                long[] mem = memoryMb(d);
                out.add(String.format("%s: %s pid %d, %d MB resident, %d MB peak", p.name(), what, d.pid(), mem[0], mem[1]));
            }));
        }
        return out;
    }

    public static final String STREAM_WRITER = "stream-writer";
}
