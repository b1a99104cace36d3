package io.questlog.ingest.landing;

import java.util.Optional;

/**
 * The resume marker of one file ({@code pending/.NAME.progress}): its content hash and how many of its
 * lines are done (every event of those lines acknowledged by Kafka). The hash makes a marker left
 * beside a different file of the same name harmless.
 */
record Progress(String fileHash, long lines) {

    String format() {
        return fileHash + " " + lines + "\n";
    }

    /** The marker's text, or empty when it is not one (then the file starts from line 1). */
    static Optional<Progress> parse(String text) {
        String[] parts = text.strip().split(" ");
        if (parts.length != 2 || !parts[0].matches("[0-9a-f]{16}") || !parts[1].matches("[0-9]{1,18}")) return Optional.empty();
        return Optional.of(new Progress(parts[0], Long.parseLong(parts[1])));
    }
}
