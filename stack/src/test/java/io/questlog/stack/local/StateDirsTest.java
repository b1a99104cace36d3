package io.questlog.stack.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Env;
import io.questlog.stack.config.StackConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every folder the launcher makes under QUESTLOG_HOME is rwx------, also one that existed before. */
class StateDirsTest {
    @TempDir
    Path tmp;

    StackConfig config() {
        return StackConfig.from(new Env(Map.of("QUESTLOG_ROOT", tmp.toString(), "QUESTLOG_HOME", tmp.resolve(".questlog").toString())));
    }

    static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void layoutMakesHomeAndItsFoldersOwnerOnly() throws Exception {
        StackConfig c = config();
        StateDirs.layout(c);
        assertThat(perms(c.home())).isEqualTo("rwx------");
        for (String d : new String[] {"lib", "conf", "data", "logs", "run"}) {
            assertThat(perms(c.home().resolve(d))).as(d).isEqualTo("rwx------");
        }
    }

    @Test
    void configFilesMakeNestedFoldersOwnerOnly() throws Exception {
        StackConfig c = config();
        Path f = c.conf("trino").resolve("catalog").resolve("hive.properties");
        ConfigFiles.properties(c, f, Map.of("connector.name", "hive"));
        for (Path p = f.getParent(); !p.equals(tmp); p = p.getParent()) {
            assertThat(perms(p)).as(p.toString()).isEqualTo("rwx------");
        }
    }

    @Test
    void tightensFoldersThatExisted() throws Exception {
        StackConfig c = config();
        Path logs = Files.createDirectories(c.home().resolve("logs"));
        Files.setPosixFilePermissions(c.home(), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
        StateDirs.create(c, logs);
        assertThat(perms(c.home())).isEqualTo("rwx------");
        assertThat(perms(logs)).isEqualTo("rwx------");
    }

    @Test
    void leavesFoldersOutsideTheHomeAlone() throws Exception {
        StackConfig c = config();
        Path out = StateDirs.create(c, tmp.resolve("output"));
        assertThat(Files.isDirectory(out)).isTrue();
        assertThat(Files.exists(c.home())).isFalse();
    }
}
