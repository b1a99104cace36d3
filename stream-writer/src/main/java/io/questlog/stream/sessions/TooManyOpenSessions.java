package io.questlog.stream.sessions;

import org.apache.commons.lang3.exception.ExceptionUtils;

/**
 * More users have a session open than the driver is allowed to hold (QUESTLOG_MAX_OPEN_SESSIONS). Replaying
 * the batch meets the same number, so the job stops with a message instead of retrying into an out-of-memory loop.
 */
public final class TooManyOpenSessions extends IllegalStateException {
    public TooManyOpenSessions(long open, int limit) {
        super(open + " users have a session open, more than QUESTLOG_MAX_OPEN_SESSIONS=" + limit + " (each takes about"
                + " 0.5 KB of the driver's heap, see bench/state): give the driver more memory (spark-submit --driver-memory,"
                + " the launcher's -Xmx2g) and raise the limit, or shorten QUESTLOG_SESSION_GAP");
    }

    /** This failure, if it is somewhere in {@code t}'s causes. */
    public static java.util.Optional<TooManyOpenSessions> in(Throwable t) {
        return java.util.Optional.ofNullable(ExceptionUtils.throwableOfType(t, TooManyOpenSessions.class));
    }
}
