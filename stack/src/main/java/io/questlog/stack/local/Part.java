package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.ToIntFunction;

/** One process of the local stack: how to prepare it, start it and tell that it answers. */
public record Part(
        String name,
        List<String> after,        // parts that must answer their health check first
        ToIntFunction<StackConfig> port, // the port it binds (null: none); checked free before start
        Duration startTimeout,
        Prepare prepare,
        Command command,
        Health health,
        Prepare beforeStop) { // run before the process is stopped (the cluster's stream-writer: kill the driver through the Master)

    public Part(String name, List<String> after, ToIntFunction<StackConfig> port, Duration startTimeout, Prepare prepare,
                Command command, Health health) {
        this(name, after, port, startTimeout, prepare, command, health, c -> {});
    }

    public Part withPort(ToIntFunction<StackConfig> p) {
        return new Part(name, after, p, startTimeout, prepare, command, health, beforeStop);
    }

    public Part withBeforeStop(Prepare b) {
        return new Part(name, after, port, startTimeout, prepare, command, health, b);
    }

    public Part withAfter(List<String> a) {
        return new Part(name, a, port, startTimeout, prepare, command, health, beforeStop);
    }

    public Part withHealth(Health h) {
        return new Part(name, after, port, startTimeout, prepare, command, h, beforeStop);
    }

    public int portOf(StackConfig c) {
        return port == null ? 0 : port.applyAsInt(c);
    }

    @FunctionalInterface
    public interface Prepare { void run(StackConfig c) throws IOException, InterruptedException; }

    @FunctionalInterface
    public interface Command { ProcessBuilder build(StackConfig c) throws IOException; }

    @FunctionalInterface
    public interface Health { boolean ok(StackConfig c); }
}
