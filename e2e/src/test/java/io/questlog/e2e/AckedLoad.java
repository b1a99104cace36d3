package io.questlog.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.loadgen.sessions.ExpectedSession;
import io.questlog.loadgen.simulate.UserEvent;
import io.questlog.stack.analysts.Trino;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The fault tests' load and its audit: events with their own event_ids for users in cohorts of event time (so
 * sessions close during a test), and what Trino shows of the acknowledged ones afterwards.
 */
final class AckedLoad {
    private static final String[] TYPES = {"purchase_sword", "join_guild", "page_view", "page_view", "level_up"};

    private AckedLoad() {
    }

    /**
     * The {@code n}th event of sender {@code thread}: its type cycles, its user is one of {@code users} in the cohort of
     * its event time ({@code prefix<thread>-c<cohort>-<i>}).
     */
    private static UserEvent event(String prefix, int thread, long n, long ts, long simStart, long cohortMs, int users) {
        String user = prefix + thread + "-c" + (ts - simStart) / cohortMs + "-" + n % users;
        return new UserEvent(UUID.randomUUID().toString(), TYPES[(int) (n % TYPES.length)], user, ts, "-", "-", "-", "-", Map.of());
    }

    /** Events {@code first}..{@code first + size - 1} of sender {@code thread} (see {@link #event}), by event_id. */
    static Map<String, UserEvent> batch(String prefix, int thread, long first, int size, LongSupplier eventTime, long simStart,
                                        long cohortMs, int users) {
        Map<String, UserEvent> batch = new LinkedHashMap<>();
        for (long n = first; n < first + size; n++) {
            UserEvent e = event(prefix, thread, n, eventTime.getAsLong(), simStart, cohortMs, users);
            batch.put(e.eventId(), e);
        }
        return batch;
    }

    /** The events as an NDJSON body for POST /events (the device's clock in device_sent_timestamp). */
    static String ndjson(Collection<UserEvent> events) {
        StringJoiner body = new StringJoiner("\n");
        for (UserEvent e : events) {
            body.add("{\"event_id\":\"" + e.eventId() + "\",\"event_type\":\"" + e.eventType() + "\",\"anonymous_id\":\""
                    + e.userId() + "\",\"device_sent_timestamp\":" + e.eventTs() + "}");
        }
        return body.toString();
    }

    /** A session as the audit compares it: user, start ms, end ms, events, purchases, guild joins. */
    static String row(ExpectedSession s) {
        return String.join(",", s.userId(), Long.toString(s.sessionStart()), Long.toString(s.sessionEnd()),
                Integer.toString(s.eventCount()), Integer.toString(s.purchaseCount()), Integer.toString(s.guildJoinCount()));
    }

    /** What Trino holds for the users under one prefix, against the event_ids the API acknowledged. */
    record Audit(long events, long dupEvents, long swords, long dupSwords, long guilds, long dupGuilds, long dupSessions,
                 List<String> sessions, Set<String> missing, Set<String> unexpected) {

        static Audit of(Trino trino, String prefix, Set<String> acked) {
            String where = " WHERE user_id LIKE '" + prefix + "%'";
            List<List<String>> sessionRows = trino.query("SELECT user_id, CAST(to_unixtime(session_start) * 1000 AS bigint), "
                    + "CAST(to_unixtime(session_end) * 1000 AS bigint), event_count, purchase_count, guild_join_count FROM sessions"
                    + where + " ORDER BY 1, 2");
            Set<String> seen = new HashSet<>();
            List<List<String>> ids = trino.query("SELECT event_id FROM events" + where);
            ids.subList(1, ids.size()).forEach(r -> seen.add(r.get(0)));
            Set<String> missing = new HashSet<>(acked);
            missing.removeAll(seen);
            Set<String> unexpected = new HashSet<>(seen);
            unexpected.removeAll(acked);
            return new Audit(trino.count("SELECT count(*) FROM events" + where),
                    trino.count("SELECT count(*) - count(DISTINCT event_id) FROM events" + where),
                    trino.count("SELECT count(*) FROM sword_purchases" + where),
                    trino.count("SELECT count(*) - count(DISTINCT event_id) FROM sword_purchases" + where),
                    trino.count("SELECT count(*) FROM guild_joins" + where),
                    trino.count("SELECT count(*) - count(DISTINCT event_id) FROM guild_joins" + where),
                    trino.count("SELECT count(*) FROM (SELECT user_id, session_start FROM sessions" + where
                            + " GROUP BY 1, 2 HAVING count(*) > 1)"),
                    sessionRows.subList(1, sessionRows.size()).stream().map(r -> String.join(",", r)).sorted().toList(),
                    missing, unexpected);
        }

        /** Every acknowledged event once in events and in its routed table, nothing else, no session twice. */
        void assertExactlyOnce(long acknowledged, long purchases, long joins) {
            assertThat(missing).as("acknowledged events missing from events").isEmpty();
            assertThat(unexpected).as("events in the table that were never acknowledged").isEmpty();
            assertThat(dupEvents).as("duplicate event_ids in events").isZero();
            assertThat(events).isEqualTo(acknowledged);
            assertThat(swords).isEqualTo(purchases);
            assertThat(dupSwords).isZero();
            assertThat(guilds).isEqualTo(joins);
            assertThat(dupGuilds).isZero();
            assertThat(dupSessions).as("a session published twice").isZero();
        }
    }
}
