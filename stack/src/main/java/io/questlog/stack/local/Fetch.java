package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import io.questlog.stack.config.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Resolves each part's jars from Maven Central with Maven itself (stack/parts/NAME/pom.xml), so the
 * local repository is the cache: a later run reads the saved classpath and downloads nothing.
 */
public final class Fetch {
    static final List<String> LIBS = List.of("kafka", "hdfs", "hive", "trino", "spark");

    private Fetch() {}

    public static Path classpathFile(StackConfig c, String lib) {
        return c.home().resolve("lib").resolve(lib + ".classpath");
    }

    public static synchronized String classpath(StackConfig c, String lib) throws IOException {
        Path file = classpathFile(c, lib);
        if (!Files.exists(file)) {
            resolve(c, lib);
        }
        return Files.readString(file).trim();
    }

    static void resolve(StackConfig c, String lib) throws IOException {
        Path pom = c.root().resolve("stack/parts").resolve(lib).resolve("pom.xml");
        Path out = classpathFile(c, lib);
        StateDirs.create(c, out.getParent());
        Path tmp = out.resolveSibling(lib + ".classpath.tmp");
        System.out.println("fetching " + lib + " from Maven Central (cached in the local Maven repository after the first run)...");
        long t0 = System.nanoTime();
        DownloadProgress progress = new DownloadProgress("  " + lib, System.out, DownloadProgress.terminal());
        try (progress) {
            Exec.run(c, new ProcessBuilder("mvn", "-B", "-f", pom.toString(), "dependency:build-classpath",
                    "-Dmdep.outputFile=" + tmp, "-Dmdep.includeScope=runtime"), c.home().resolve("logs").resolve("fetch-" + lib + ".log"),
                    progress::line);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while fetching " + lib);
        } catch (IOException e) {
            throw new StackException("cannot run Maven to fetch " + lib + " (" + e.getMessage() + "): install Maven (apt-get install -y maven)");
        }
        Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("fetched %s in %.1f s (%d files, %.1f MB downloaded)%n", lib, (System.nanoTime() - t0) / 1e9,
                progress.files(), progress.bytes() / 1e6);
    }

    /** Everything `up` needs: each part's jars, Trino's server unpacked, and a JDK for it. */
    public static void all(StackConfig c) throws IOException {
        for (String lib : LIBS) {
            classpath(c, lib);
        }
        trinoServer(c);
        Jdks.forTrino(c);
    }

    static Path artifact(StackConfig c, String lib, String suffix) throws IOException {
        return Arrays.stream(classpath(c, lib).split(":")).filter(p -> p.endsWith(suffix)).map(Path::of).findFirst()
                .orElseThrow(() -> new StackException("no *" + suffix + " among the " + lib + " jars: delete "
                        + classpathFile(c, lib) + " and run again"));
    }

    /** Trino's server tarball, unpacked whole on first use (it holds hard links: plain tar handles them). */
    public static synchronized Path trinoServer(StackConfig c) throws IOException {
        Path dir = c.lib("trino");
        Path done = dir.resolve(".unpacked");
        if (!Files.exists(done)) {
            Path tgz = artifact(c, "trino", ".tar.gz");
            System.out.println("unpacking " + tgz.getFileName() + " ...");
            StateDirs.create(c, dir);
            try {
                Exec.run(c, new ProcessBuilder("tar", "-xzf", tgz.toString(), "-C", dir.toString()), c.home().resolve("logs/fetch-trino-unpack.log"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while unpacking Trino");
            }
            Files.writeString(done, tgz.toString());
        }
        try (var s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("trino-server-")).findFirst()
                    .orElseThrow(() -> new StackException("Trino unpacked badly: delete " + dir + " and run again"));
        }
    }

    public static Path trinoCli(StackConfig c) throws IOException {
        return artifact(c, "trino", "-executable.jar");
    }
}
