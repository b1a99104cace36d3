package io.questlog.stack.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.contract.Env;
import io.questlog.stack.config.StackConfig;
import io.questlog.stack.local.parts.StreamWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every spark-submit the launcher runs (`./questlog spark-submit`, the stream-writer) binds its driver to 127.0.0.1. */
class SparkSubmitTest {
    @TempDir
    Path tmp;

    StackConfig config() throws Exception {
        StackConfig c = StackConfig.from(new Env(Map.of("QUESTLOG_ROOT", tmp.toString())));
        Files.createDirectories(c.home().resolve("lib"));
        Files.writeString(Fetch.classpathFile(c, "spark"), "/nowhere/spark-core.jar\n"); // no Maven run
        return c;
    }

    @Test
    void userCommandGetsTheLoopbackDriverAddress() throws Exception {
        ProcessBuilder pb = SparkSubmit.command(config(), List.of(), List.of("--master", "local[1]", "app.jar", "x"));
        List<String> cmd = pb.command();
        List<String> args = cmd.subList(cmd.indexOf("org.apache.spark.deploy.SparkSubmit") + 1, cmd.size());
        assertThat(args).containsExactly("--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.driver.host=127.0.0.1",
                "--master", "local[1]", "app.jar", "x");
        assertThat(pb.environment()).containsEntry("SPARK_LOCAL_IP", "127.0.0.1");
    }

    @Test
    void keepsWhatTheUserSet() {
        assertThat(SparkSubmit.onLoopback("127.0.0.1", List.of("--conf", "spark.driver.host=10.1.2.3", "app.jar")))
                .containsExactly("--conf", "spark.driver.bindAddress=127.0.0.1", "--conf", "spark.driver.host=10.1.2.3", "app.jar");
        assertThat(SparkSubmit.onLoopback("127.0.0.1", List.of("-c", "spark.driver.bindAddress=0.0.0.0", "--conf=spark.driver.host=h", "app.jar")))
                .containsExactly("-c", "spark.driver.bindAddress=0.0.0.0", "--conf=spark.driver.host=h", "app.jar");
    }

    @Test
    void streamWriterSharesIt() throws Exception {
        StackConfig c = config();
        Files.createDirectories(tmp.resolve("stream-writer/target"));
        Files.writeString(tmp.resolve("stream-writer/target/stream-writer.jar"), "");
        List<String> cmd = StreamWriter.part().command().build(c).command();
        assertThat(Collections.indexOfSubList(cmd, List.of("--conf", "spark.driver.bindAddress=127.0.0.1"))).isPositive();
        assertThat(Collections.indexOfSubList(cmd, List.of("--conf", "spark.driver.host=127.0.0.1"))).isPositive();
    }
}
