package io.questlog.stack.analysts;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * `./questlog check`: data-quality checks through Trino, each a query whose answer must be zero
 * (or under a threshold), printed pass/fail with its figure. Non-zero exit on any failure.
 */
public final class Checks {
    public record Check(String name, String sql, double max, String what) {}
    public record Result(Check check, double value) {
        public boolean passed() { return value <= check.max(); }
    }

    private Checks() {}

    public static List<Check> all(Trino trino, double maxBadRate) {
        List<Check> checks = new ArrayList<>();
        // an event is (user_id, event_id): clients number their events 1, 2, 3..., so ids alone repeat across users
        checks.add(new Check("no_duplicate_event_id",
                "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT user_id, event_id FROM events)) FROM events", 0, "duplicate (user_id, event_id) in events"));
        for (String t : routedTables(trino)) {
            checks.add(new Check("routed_in_events:" + t,
                    "SELECT count(*) FROM " + t + " r WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.user_id = r.user_id AND e.event_id = r.event_id)",
                    0, "rows of " + t + " missing from events"));
        }
        checks.add(new Check("no_dt_gaps",
                "SELECT coalesce(date_diff('day', min(date(dt)), max(date(dt))) + 1 - count(DISTINCT dt), 0) FROM events",
                0, "days without a dt partition between the first and the last"));
        checks.add(new Check("sessions_add_up",
                "SELECT abs(coalesce((SELECT sum(event_count) FROM sessions), 0) - (SELECT count(*) FROM events e JOIN sessions s "
                        + "ON e.user_id = s.user_id AND e.event_ts BETWEEN s.session_start AND s.session_end))",
                0, "difference between sessions' event_count and the events inside those sessions"));
        checks.add(new Check("bad_events_rate",
                "SELECT CAST((SELECT count(*) FROM bad_events) AS double) / nullif((SELECT count(*) FROM bad_events) "
                        + "+ (SELECT count(*) FROM events), 0)",
                maxBadRate, "share of Kafka records that became dead letters"));
        return checks;
    }

    /** Tables beside events, sessions and bad_events are the routed ones (QUESTLOG_ROUTES). */
    static List<String> routedTables(Trino trino) {
        List<List<String>> rows = trino.query("SHOW TABLES");
        return rows.subList(1, rows.size()).stream().map(r -> r.get(0))
                .filter(t -> !Set.of("events", "sessions", "bad_events").contains(t)).sorted().toList();
    }

    public static List<Result> run(Trino trino, List<Check> checks) {
        List<Result> out = new ArrayList<>();
        for (Check c : checks) {
            String v = trino.query(c.sql()).get(1).get(0);
            out.add(new Result(c, v == null ? 0 : Double.parseDouble(v)));
        }
        return out;
    }

    public static String print(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        for (Result r : results) {
            sb.append(String.format("%-4s %-34s %12s  (max %s) %s%n", r.passed() ? "PASS" : "FAIL", r.check().name(),
                    num(r.value()), num(r.check().max()), r.check().what()));
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        sb.append(failed == 0 ? "all " + results.size() + " checks passed\n" : failed + " of " + results.size() + " checks FAILED\n");
        return sb.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format("%.4f", v);
    }
}
