package io.questlog.stack.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fetch progress off a terminal: plain lines, no escape codes, no line per download. */
class DownloadProgressTest {
    static final String GOT = "[INFO] Downloaded from central: https://repo.maven.apache.org/maven2/io/trino/trino-server/476/trino-server-476.tar.gz"
            + " (%s at 12 MB/s)";

    @Test
    void countsFilesAndBytesFromMavensTransferLines() throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DownloadProgress p = new DownloadProgress("trino", new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        try (p) {
            p.line("[INFO] Downloading from central: https://repo.maven.apache.org/maven2/io/trino/trino-spi/476/trino-spi-476.pom");
            p.line(GOT.formatted("2.3 kB"));
            p.line(GOT.formatted("1,024 B"));
            p.line(GOT.formatted("512.5 MB"));
            p.line("[INFO] BUILD SUCCESS");
            for (int i = 0; i < 200; i++) p.line(GOT.formatted("1 kB"));
        }
        assertThat(p.files()).isEqualTo(203);
        assertThat(p.bytes()).isEqualTo(2_300 + 1_024 + 512_500_000 + 200_000);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("\u001b").doesNotContain("\r");
        assertThat(out.lines().count()).as(out).isBetween(1L, 2L); // the final line, and one while it ran if it took long
        assertThat(out.lines().reduce((a, b) -> b).orElseThrow()).contains("trino").contains("100%").contains("203/203").contains("512.7 MB");
    }

    @Test
    void aWarmCacheFinishesAtOnceAndQuietly() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DownloadProgress p = new DownloadProgress("kafka", new PrintStream(buf, true, StandardCharsets.UTF_8), false);
        p.line("[INFO] BUILD SUCCESS");
        p.close();
        assertThat(p.files()).isZero();
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEmpty(); // Fetch's own line says it: 0 files downloaded
    }
}
