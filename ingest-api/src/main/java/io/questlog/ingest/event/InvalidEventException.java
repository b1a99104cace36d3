package io.questlog.ingest.event;

import java.util.Optional;

/**
 * A request or event that cannot be accepted, with the HTTP status to answer, a stable reason code
 * (metrics label), and where applicable the index of the event in its batch and the offending field.
 * Expected bad input: carries no stack trace.
 */
public final class InvalidEventException extends RuntimeException {
    private final int status;
    private final String reason;
    private final Integer index;
    private final String field;

    public InvalidEventException(int status, String reason, String message, Integer index, String field) {
        super(message, null, false, false);
        this.status = status;
        this.reason = reason;
        this.index = index;
        this.field = field;
    }

    public static InvalidEventException badRequest(String reason, String message) {
        return new InvalidEventException(400, reason, message, null, null);
    }

    public static InvalidEventException field(int index, String field, String message) {
        return new InvalidEventException(400, "invalid_field", message, index, field);
    }

    public InvalidEventException atIndex(int i) {
        return new InvalidEventException(status, reason, getMessage(), i, field);
    }

    public int status() {
        return status;
    }

    public String reason() {
        return reason;
    }

    public Optional<Integer> index() {
        return Optional.ofNullable(index);
    }

    public Optional<String> field() {
        return Optional.ofNullable(field);
    }
}
