package io.questlog.stack.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

public final class Logs {
    private Logs() {}

    /** Whether the part's current run (the log after the last "---- " start line) printed {@code text}. */
    public static boolean contains(Path log, String text) {
        try {
            if (!Files.exists(log)) return false;
            String all = Files.readString(log, StandardCharsets.ISO_8859_1);
            int run = all.lastIndexOf("\n---- ");
            return all.indexOf(text, Math.max(run, 0)) >= 0;
        } catch (IOException e) {
            return false;
        }
    }

    public static String tail(Path log, int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return "  | " + String.join("\n  | ", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "  (no log at " + log + ")";
        }
    }
}
