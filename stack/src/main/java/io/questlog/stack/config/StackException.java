package io.questlog.stack.config;

/** A failure the user can act on: the message says what is wrong and what to do. */
public final class StackException extends RuntimeException {
    public StackException(String message) {
        super(message);
    }
}
