package io.questlog.loadgen.sessions;

import io.questlog.loadgen.manifest.Manifest;
import io.questlog.loadgen.simulate.UserEvent;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ground truth for the {@code sessions} table, computed from a manifest without Spark.
 *
 * <p>Gap rule: a user's events sorted by event_ts; a new session starts when the time since the
 * user's previous event is strictly greater than {@code gap}. A pause of exactly {@code gap} keeps
 * the session going.
 */
public final class ExpectedSessions {

    private ExpectedSessions() {
    }

    public static List<ExpectedSession> fromManifest(Path manifest, Duration gap) throws IOException {
        return compute(Manifest.read(manifest), gap);
    }

    /** Sessions ordered by user_id, then session_start. */
    public static List<ExpectedSession> compute(Collection<UserEvent> events, Duration gap) {
        if (gap.isNegative()) throw new IllegalArgumentException("gap must not be negative");
        long gapMs = gap.toMillis();
        Map<String, List<UserEvent>> byUser = new TreeMap<>();
        for (UserEvent e : events) byUser.computeIfAbsent(e.userId(), k -> new ArrayList<>()).add(e);

        List<ExpectedSession> out = new ArrayList<>();
        for (List<UserEvent> userEvents : byUser.values()) {
            userEvents.sort(Comparator.comparingLong(UserEvent::eventTs).thenComparing(UserEvent::eventId));
            int from = 0;
            for (int i = 1; i <= userEvents.size(); i++) {
                boolean split = i == userEvents.size()
                        || userEvents.get(i).eventTs() - userEvents.get(i - 1).eventTs() > gapMs;
                if (split) {
                    out.add(session(userEvents.subList(from, i)));
                    from = i;
                }
            }
        }
        return List.copyOf(out);
    }

    private static ExpectedSession session(List<UserEvent> s) {
        UserEvent first = s.get(0);
        int purchases = 0;
        int joins = 0;
        for (UserEvent e : s) {
            if (e.eventType().equals("purchase_sword")) purchases++;
            if (e.eventType().equals("join_guild")) joins++;
        }
        return new ExpectedSession(first.userId(), first.eventTs(), s.get(s.size() - 1).eventTs(), s.size(),
                purchases, joins, first.browserFamily(), first.osFamily(), first.deviceFamily());
    }
}
