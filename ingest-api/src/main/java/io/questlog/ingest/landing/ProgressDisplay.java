package io.questlog.ingest.landing;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/** A file's progress: a bar on a terminal, else a plain line at most every few seconds (no escape codes). */
interface ProgressDisplay extends AutoCloseable {
    void update(long linesDone, long bytesRead, long sent);

    @Override
    void close();

    static ProgressDisplay of(String name, long totalLines, long totalBytes, boolean terminal, PrintStream out) {
        if (terminal) {
            ProgressBar bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(totalLines).setUnit(" lines", 1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).showSpeed().continuousUpdate().build();
            return new ProgressDisplay() {
                public void update(long linesDone, long bytesRead, long sent) {
                    bar.stepTo(linesDone);
                }

                public void close() {
                    bar.close();
                }
            };
        }
        return new Plain(name, totalLines, totalBytes, out);
    }

    final class Plain implements ProgressDisplay {
        static final long EVERY_NANOS = 5_000_000_000L;
        private final String name;
        private final long totalLines;
        private final long totalBytes;
        private final PrintStream out;
        private final long start = System.nanoTime();
        private long last = start;

        Plain(String name, long totalLines, long totalBytes, PrintStream out) {
            this.name = name;
            this.totalLines = totalLines;
            this.totalBytes = totalBytes;
            this.out = out;
        }

        public void update(long linesDone, long bytesRead, long sent) {
            long now = System.nanoTime();
            if (now - last < EVERY_NANOS) return;
            last = now;
            double s = (now - start) / 1e9;
            out.printf("  %s: %d/%d lines, %d/%d MB read, %d events sent, %.0f events/s%n", name, linesDone, totalLines,
                    bytesRead >> 20, totalBytes >> 20, sent, sent / s);
        }

        public void close() {
        }
    }
}
