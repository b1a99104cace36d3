package io.questlog.stack.local;

import java.io.PrintStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live progress bar over Maven's transfer lines (`Downloaded from central: URL (123 kB at 4 MB/s)`): files and
 * bytes downloaded so far, the total unknown. On a terminal it redraws in place and is cleared when done (the caller
 * prints a summary); elsewhere (CI, pipes) it prints plain lines without escape codes, only when something was
 * downloaded, at most every {@link #PLAIN_EVERY_MS}, and once at the end.
 */
public final class DownloadProgress implements AutoCloseable {
    static final Pattern DOWNLOADED = Pattern.compile("(?:\\[INFO\\] )?Downloaded from [^:]+: \\S+ \\(([\\d.,]+) (B|kB|MB|GB) at .*");
    static final long PLAIN_EVERY_MS = 5000;

    private final ProgressBar bar;
    private final PrintStream out;
    private long files;
    private long bytes;
    private long printedFiles = -1;
    private long printedAt;
    private boolean closing;
    private boolean printedFinal;

    public DownloadProgress(String task, PrintStream out, boolean terminal) {
        this.out = out;
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(-1).setUnit(" files", 1).hideEta();
        if (terminal) {
            b.setUpdateIntervalMillis(250).clearDisplayOnFinish().setConsumer(new ConsoleProgressBarConsumer(out));
        } else {
            b.setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(1000)
                    .setConsumer(new DelegatingProgressBarConsumer(this::plainLine, 100));
        }
        bar = b.build();
    }

    /** For a process's output when stdout is a terminal (System.console() is null under pipes and redirects). */
    public static boolean terminal() {
        return System.console() != null;
    }

    /** One line of Maven's output: a finished download counts. */
    public synchronized void line(String mavenLine) {
        Matcher m = DOWNLOADED.matcher(mavenLine);
        if (!m.matches()) return;
        files++;
        bytes += bytes(m.group(1), m.group(2));
        bar.setExtraMessage(String.format(Locale.ROOT, "%.1f MB", bytes / 1e6));
        bar.step();
    }

    static long bytes(String number, String unit) {
        double n = Double.parseDouble(number.replace(",", ""));
        return (long) (n * switch (unit) {
            case "kB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            default -> 1;
        });
    }

    public synchronized long files() {
        return files;
    }

    public synchronized long bytes() {
        return bytes;
    }

    private synchronized void plainLine(String rendered) {
        if (files == 0 || printedFinal) return; // a warm cache: the caller's summary line says so
        long now = System.currentTimeMillis();
        if (closing) {
            if (!rendered.contains(" " + files + "/" + files + " ")) return; // rendered before the total was known
            printedFinal = true;
        } else if (files == printedFiles || now - printedAt < PLAIN_EVERY_MS) {
            return;
        }
        out.println(rendered.replace("\r", "").strip());
        printedFiles = files;
        printedAt = now;
    }

    /** Done: the bar shows 100% and stops redrawing. */
    @Override
    public void close() {
        synchronized (this) {
            closing = true;
            bar.maxHint(files);
        }
        bar.close();
    }
}
