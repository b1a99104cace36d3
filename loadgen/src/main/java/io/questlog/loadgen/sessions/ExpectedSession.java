package io.questlog.loadgen.sessions;

/**
 * One session as the {@code sessions} table should hold it.
 *
 * @param sessionStart epoch ms of the first event
 * @param sessionEnd epoch ms of the last event (not plus the gap)
 * @param browserFamily families of the first event, as the session-counting seed does
 */
public record ExpectedSession(String userId, long sessionStart, long sessionEnd, int eventCount,
                              int purchaseCount, int guildJoinCount,
                              String browserFamily, String osFamily, String deviceFamily) {

    public long durationMs() {
        return sessionEnd - sessionStart;
    }

    /** Whole seconds, truncated: {@code duration_s} when the table stores it as an integer. */
    public long durationSeconds() {
        return durationMs() / 1000;
    }
}
