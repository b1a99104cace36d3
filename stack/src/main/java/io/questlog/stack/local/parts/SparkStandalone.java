package io.questlog.stack.local.parts;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.Fetch;
import io.questlog.stack.local.Health;
import io.questlog.stack.local.Jvm;
import io.questlog.stack.local.Part;
import io.questlog.stack.local.StateDirs;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The cluster's Spark standalone: a Master and Workers from the Maven-resolved Spark jars. Each Worker gets a
 * SPARK_HOME whose jars/ links that classpath (executors and drivers are launched from it), and 2 cores, 2.5 GB:
 * room for the stream-writer's driver (1 core) beside one 1-core executor.
 */
public final class SparkStandalone {
    static final String WORKER_MEMORY = "2560m";
    private static final Pattern DRIVER_ID = Pattern.compile("\"id\"\\s*:\\s*\"(driver-[^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private SparkStandalone() {}

    public static Part master() {
        return new Part("spark-master", List.of(), null, Duration.ofSeconds(90), c -> {
            home(c);
            StateDirs.create(c, c.data("spark-master"));
        },
                // recovery from its folder: a restarted Master knows the running driver (and keeps supervising it)
                // instead of telling the re-registering Worker to kill it
                c -> env(c, Jvm.onClasspath(c, "spark", List.of("-Xmx256m", "-Dspark.deploy.recoveryMode=FILESYSTEM",
                        "-Dspark.deploy.recoveryDirectory=" + c.data("spark-master")), "org.apache.spark.deploy.master.Master",
                        "--host", c.host(), "--port", String.valueOf(c.sparkMasterPort()),
                        "--webui-port", String.valueOf(c.sparkMasterWebPort()))),
                c -> Optional.ofNullable(Health.get(c.sparkMasterUi() + "/json/")).filter(j -> j.contains("ALIVE")).isPresent())
                .withPort(StackConfig::sparkMasterPort);
    }

    /** spark-worker-i: port QUESTLOG_SPARK_MASTER_PORT + 100 × i, web UI QUESTLOG_SPARK_MASTER_WEBUI_PORT + 100 × i. */
    public static Part worker(int i) {
        String name = "spark-worker-" + i;
        return new Part(name, List.of("spark-master"), null, Duration.ofSeconds(90), c -> {
            home(c);
            StateDirs.create(c, c.data(name));
        }, c -> env(c, Jvm.onClasspath(c, "spark", List.of("-Xmx256m"), "org.apache.spark.deploy.worker.Worker",
                "--host", c.host(), "--port", String.valueOf(workerPort(c, i)), "--webui-port", String.valueOf(c.sparkMasterWebPort() + 100 * i),
                "--cores", "2", "--memory", WORKER_MEMORY, "--work-dir", c.data(name).toString(), c.sparkMaster())),
                // registered with the Master (its id ends with host-port) and alive
                c -> Optional.ofNullable(Health.get(c.sparkMasterUi() + "/json/"))
                        .filter(j -> j.contains("-" + c.host() + "-" + workerPort(c, i) + "\"")).isPresent())
                .withPort(c -> workerPort(c, i));
    }

    static int workerPort(StackConfig c, int i) {
        return c.sparkMasterPort() + 100 * i;
    }

    /** What the Master, Workers and what they launch need: SPARK_HOME, the Scala version, the loopback address. */
    static ProcessBuilder env(StackConfig c, ProcessBuilder pb) {
        pb.environment().put("SPARK_HOME", sparkHome(c).toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", c.host());
        return pb;
    }

    static Path sparkHome(StackConfig c) {
        return c.lib("spark-home");
    }

    /** lib/spark-home/jars: a link to each jar of the resolved Spark classpath (what a Spark distribution's jars/ holds). */
    static synchronized void home(StackConfig c) throws IOException {
        Path jars = StateDirs.create(c, sparkHome(c).resolve("jars"));
        for (String jar : Fetch.classpath(c, "spark").split(":")) {
            Path target = Path.of(jar);
            Path link = jars.resolve(target.getFileName());
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, target);
        }
    }

    /** The Master's drivers that are not finished (submitted, running, relaunching). */
    public static List<String> activeDrivers(StackConfig c) {
        String json = Health.get(c.sparkMasterUi() + "/json/");
        List<String> ids = new ArrayList<>();
        if (json == null) return ids;
        int from = json.indexOf("\"activedrivers\"");
        int to = json.indexOf("\"completeddrivers\"");
        if (from < 0) return ids;
        Matcher m = DRIVER_ID.matcher(to > from ? json.substring(from, to) : json.substring(from));
        while (m.find()) ids.add(m.group(1));
        return ids;
    }

    /**
     * Kills every active driver through the Master (its UI's kill action), so --supervise does not relaunch them, and
     * waits up to 30 s until none is left. True if none is left.
     */
    public static boolean killDrivers(StackConfig c) throws InterruptedException {
        List<String> ids = activeDrivers(c);
        for (String id : ids) {
            try {
                HTTP.send(HttpRequest.newBuilder(URI.create(c.sparkMasterUi() + "/driver/kill/"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("id=" + id + "&terminate=true")).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.discarding());
                System.out.printf("  %-14s driver %s killed through the Master%n", "stream-writer", id);
            } catch (IOException e) {
                System.out.printf("  %-14s cannot kill driver %s through %s: %s%n", "stream-writer", id, c.sparkMasterUi(), e.getMessage());
            }
        }
        long until = System.currentTimeMillis() + 30_000;
        while (!ids.isEmpty() && System.currentTimeMillis() < until) {
            Thread.sleep(500);
            ids = activeDrivers(c);
        }
        return ids.isEmpty();
    }

    /** The drivers' folders (each Worker's work-dir/driver-ID, holding its stdout and stderr), newest first. */
    public static List<Path> driverDirs(StackConfig c) {
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= StackConfig.SPARK_WORKERS; i++) {
            Path work = c.data("spark-worker-" + i);
            if (!Files.isDirectory(work)) continue;
            try (Stream<Path> s = Files.list(work)) {
                s.filter(p -> p.getFileName().toString().startsWith("driver-")).forEach(out::add);
            } catch (IOException e) {
                // a worker removing a folder meanwhile: skip it
            }
        }
        out.sort(Comparator.comparingLong((Path p) -> p.toFile().lastModified()).reversed());
        return out;
    }
}
