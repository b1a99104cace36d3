package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * `spark-submit` from the Maven-resolved Spark jars (the shell script ships only in Spark's tarball), its
 * driver bound to the stack's loopback address like every other part.
 */
public final class SparkSubmit {
    static final List<String> DRIVER_ADDRESS_KEYS = List.of("spark.driver.bindAddress", "spark.driver.host");

    private SparkSubmit() {}

    public static ProcessBuilder command(StackConfig c, List<String> jvm, List<String> args) throws IOException {
        List<String> a = new ArrayList<>(jvm);
        a.add("-Duser.timezone=UTC");
        a.addAll(onLoopback(c.host(), args));
        ProcessBuilder pb = Jvm.onClasspath(c, "spark", a.subList(0, jvm.size() + 1), "org.apache.spark.deploy.SparkSubmit",
                a.subList(jvm.size() + 1, a.size()).toArray(String[]::new));
        pb.environment().put("SPARK_LOCAL_IP", c.host()); // the executors' and block manager's address too
        return pb;
    }

    /** spark-submit ARGS with `--conf KEY=HOST` first for each driver-address key that ARGS do not set themselves. */
    public static List<String> onLoopback(String host, List<String> args) {
        List<String> out = new ArrayList<>();
        for (String key : DRIVER_ADDRESS_KEYS) {
            boolean set = false;
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                boolean pair = (a.equals("--conf") || a.equals("-c")) && i + 1 < args.size() && args.get(i + 1).startsWith(key + "=");
                set |= pair || a.startsWith("--conf=" + key + "=");
            }
            if (!set) out.addAll(List.of("--conf", key + "=" + host));
        }
        out.addAll(args);
        return out;
    }
}
