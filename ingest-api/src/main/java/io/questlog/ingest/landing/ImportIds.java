package io.questlog.ingest.landing;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The event_id of an imported event that has none: {@code imp-<16 hex of SHA-256(the file's content)>-<line>},
 * the same on every run over the same content (gzipped or not), so the stream-writer drops what a
 * re-run or a resumed crash sends again.
 */
final class ImportIds {
    private ImportIds() {
    }

    static String eventId(String fileHash, long line) {
        return "imp-" + fileHash + "-" + line;
    }

    /** What the first pass over a file learns: content hash, lines (as {@link LineReader} counts them), bytes. */
    record Scan(String hash, long lines, long bytes) {
    }

    /** Reads the (decompressed) content once; an unreadable file fails here, before anything is sent. */
    static Scan scan(InputStream content) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        LineReader lines = new LineReader(new DigestInputStream(content, sha), 0);
        long n = 0;
        while (lines.next()) n++;
        return new Scan(HexFormat.of().formatHex(sha.digest(), 0, 8), n, lines.bytesRead());
    }
}
