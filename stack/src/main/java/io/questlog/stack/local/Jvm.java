package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The JVMs the launcher starts: this one's java, on a part's Maven-resolved classpath. */
public final class Jvm {
    private Jvm() {}

    /** The java that runs the launcher (JDK 17); Trino brings its own (Jdks). */
    public static String bin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A JVM on the part's resolved classpath, with its conf folder first (Hadoop/Hive read *-site.xml from there). */
    public static ProcessBuilder onClasspath(StackConfig c, String lib, List<String> jvm, String main, String... args) throws IOException {
        return onClasspath(c, lib, c.conf(lib), jvm, main, args);
    }

    /** The same with another conf folder first (a cluster node's own, e.g. conf/datanode-2). */
    public static ProcessBuilder onClasspath(StackConfig c, String lib, Path conf, List<String> jvm, String main, String... args)
            throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(bin());
        cmd.add("-Duser.timezone=UTC");
        cmd.addAll(jvm);
        cmd.add("-cp");
        cmd.add(conf + ":" + Fetch.classpath(c, lib));
        cmd.add(main);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TZ", "UTC");
        if (lib.equals("hdfs") || lib.equals("hive")) {
            pb.environment().put("HADOOP_CONF_DIR", conf.toString());
        }
        return pb;
    }
}
