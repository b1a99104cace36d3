package io.questlog.stack.analysts;

import io.questlog.stack.config.StackException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Debian's Chromium, headless, to look at report.html as a person would: the DOM after its scripts ran, and a screenshot. */
public final class HeadlessChromium {
    private final String binary;

    public HeadlessChromium() {
        binary = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser").stream()
                .filter(b -> Files.isExecutable(Path.of(b))).findFirst()
                .orElseThrow(() -> new StackException("Chromium not installed: apt-get install -y chromium"));
    }

    public String dumpDom(Path page) throws IOException, InterruptedException {
        return run(List.of("--virtual-time-budget=5000", "--dump-dom", page.toUri().toString()));
    }

    public void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
        run(List.of("--window-size=" + width + "," + height, "--virtual-time-budget=5000",
                "--screenshot=" + png.toAbsolutePath(), page.toUri().toString()));
    }

    private String run(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory("questlog-chromium")));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new StackException("Chromium did not finish within 60 s");
        }
        return out;
    }
}
