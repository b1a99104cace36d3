package io.questlog.stack.local;

import io.questlog.stack.config.StackConfig;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * The one way the launcher makes folders under QUESTLOG_HOME: owner-only (rwx------), because they hold
 * configs, the Kafka log, HDFS blocks and the metastore DB of services that run without authentication.
 */
public final class StateDirs {
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private StateDirs() {}

    /** QUESTLOG_HOME and its lib, conf, data, logs, run: made before a part starts, so what a part creates inside is covered too. */
    public static void layout(StackConfig c) throws IOException {
        for (String d : List.of("lib", "conf", "data", "logs", "run")) create(c, c.home().resolve(d));
    }

    /**
     * Creates {@code dir} and each missing folder from QUESTLOG_HOME down to it owner-only, and tightens
     * those that exist (a .questlog/ made before this rule). A folder outside the home is made plainly.
     */
    public static Path create(StackConfig c, Path dir) throws IOException {
        Path home = c.home();
        Path d = dir.toAbsolutePath().normalize();
        if (!d.startsWith(home)) return Files.createDirectories(d);
        Files.createDirectories(home.getParent());
        ownerOnly(home);
        Path p = home;
        for (Path name : home.relativize(d)) {
            if (name.toString().isEmpty()) continue; // d is the home itself
            p = p.resolve(name);
            ownerOnly(p);
        }
        return dir;
    }

    private static void ownerOnly(Path p) throws IOException {
        if (!p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(p);
            return;
        }
        try {
            Files.createDirectory(p, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(p)) throw e;
        }
        Files.setPosixFilePermissions(p, OWNER_ONLY); // also when it existed, and whatever the umask did
    }
}
