package io.questlog.ingest.event;

/**
 * Strict UTF-8 validation of raw bytes (RFC 3629): no overlong forms, no encoded surrogates, nothing
 * above U+10FFFF. Jackson reports most broken sequences but decodes overlong ones silently; this runs
 * first so an event never carries text its sender did not write. ASCII runs cost one compare a byte.
 */
public final class Utf8 {
    private Utf8() {
    }

    /** The offset of the first byte that is not part of valid UTF-8 in {@code b[off, off+len)}, or -1. */
    public static int firstInvalid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i];
            if (c >= 0) { // ASCII
                i++;
                continue;
            }
            c &= 0xFF;
            int need;
            int min2 = 0x80;
            int max2 = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                if (c == 0xE0) min2 = 0xA0; // overlong
                if (c == 0xED) max2 = 0x9F; // U+D800..U+DFFF
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) min2 = 0x90; // overlong
                if (c == 0xF4) max2 = 0x8F; // above U+10FFFF
            } else {
                return i; // 0x80-0xC1 (stray continuation, overlong lead) or 0xF5-0xFF
            }
            if (i + need >= end) return i;
            int c2 = b[i + 1] & 0xFF;
            if (c2 < min2 || c2 > max2) return i;
            for (int k = 2; k <= need; k++) {
                int ck = b[i + k] & 0xFF;
                if (ck < 0x80 || ck > 0xBF) return i;
            }
            i += need + 1;
        }
        return -1;
    }

    /** 1-based line number of {@code pos} in {@code b}. */
    static int lineOf(byte[] b, int pos) {
        int line = 1;
        for (int i = 0; i < pos && i < b.length; i++) if (b[i] == '\n') line++;
        return line;
    }
}
