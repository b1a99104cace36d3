package io.questlog.ingest.landing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a stream into lines ({@code \n}, a trailing {@code \r} dropped) without holding more than
 * {@code maxKept + 1} bytes of a line: a longer line is counted whole but kept cut, so one huge line
 * cannot exhaust memory.
 */
final class LineReader {
    private final InputStream in;
    private final int maxKept;
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int end;
    private byte[] line = new byte[1024];
    private int kept;
    private long length;
    private long bytesRead;

    LineReader(InputStream in, int maxKept) {
        this.in = in;
        this.maxKept = maxKept;
    }

    /** Reads the next line; false at the end of the stream. */
    boolean next() throws IOException {
        kept = 0;
        length = 0;
        boolean any = false;
        while (true) {
            if (pos == end) {
                int n = in.read(chunk);
                if (n < 0) return any;
                pos = 0;
                end = n;
                bytesRead += n;
            }
            any = true;
            int nl = pos;
            while (nl < end && chunk[nl] != '\n') nl++;
            keep(pos, nl - pos);
            if (nl < end) {
                pos = nl + 1;
                if (length > 0 && kept == length && line[kept - 1] == '\r') {
                    kept--;
                    length--;
                }
                return true;
            }
            pos = end;
        }
    }

    private void keep(int from, int n) {
        length += n;
        int take = Math.min(n, maxKept + 1 - kept);
        if (take <= 0) return;
        if (kept + take > line.length) line = Arrays.copyOf(line, Math.max(kept + take, line.length * 2));
        System.arraycopy(chunk, from, line, kept, take);
        kept += take;
    }

    /** The line's bytes; only the first {@link #kept()} are valid (all of them unless the line is longer than maxKept). */
    byte[] bytes() {
        return line;
    }

    int kept() {
        return kept;
    }

    /** The line's real length in bytes. */
    long length() {
        return length;
    }

    /** Bytes read from the stream so far. */
    long bytesRead() {
        return bytesRead;
    }

    boolean isBlank() {
        for (int i = 0; i < kept; i++) {
            byte c = line[i];
            if (c != ' ' && c != '\t' && c != '\r') return false;
        }
        return true;
    }
}
