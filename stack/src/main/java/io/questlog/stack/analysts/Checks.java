package io.questlog.stack.analysts;

import static io.questlog.contract.EnvelopeSchema.EVENT_ID;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.USER_ID;
import static io.questlog.contract.TableCatalog.BAD_EVENTS;
import static io.questlog.contract.TableCatalog.ERROR;
import static io.questlog.contract.TableCatalog.EVENTS;
import static io.questlog.contract.TableCatalog.EVENT_COUNT;
import static io.questlog.contract.TableCatalog.PARTITION;
import static io.questlog.contract.TableCatalog.SESSIONS;
import static io.questlog.contract.TableCatalog.SESSION_END;
import static io.questlog.contract.TableCatalog.SESSION_START;

import io.questlog.contract.TableCatalog;
import java.util.ArrayList;
import java.util.List;

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
        checks.add(noDuplicates());
        for (String t : routedTables(trino)) {
            checks.add(new Check("routed_in_events:" + t,
                    "SELECT count(*) FROM " + t + " r WHERE NOT EXISTS (SELECT 1 FROM " + EVENTS + " e WHERE e." + USER_ID + " = r." + USER_ID
                            + " AND e." + EVENT_ID + " = r." + EVENT_ID + ")",
                    0, "rows of " + t + " missing from events"));
        }
        checks.add(new Check("no_dt_gaps",
                "SELECT coalesce(date_diff('day', min(date(" + PARTITION + ")), max(date(" + PARTITION + "))) + 1 - count(DISTINCT " + PARTITION
                        + "), 0) FROM " + EVENTS,
                0, "days without a dt partition between the first and the last"));
        checks.add(new Check("sessions_add_up",
                "SELECT abs(coalesce((SELECT sum(" + EVENT_COUNT + ") FROM " + SESSIONS + "), 0) - (SELECT count(*) FROM " + EVENTS + " e JOIN "
                        + SESSIONS + " s ON e." + USER_ID + " = s." + USER_ID + " AND e." + EVENT_TS + " BETWEEN s." + SESSION_START
                        + " AND s." + SESSION_END + "))",
                0, "difference between sessions' event_count and the events inside those sessions"));
        // late events are in events (only not in sessions): they are not dead letters
        String deadLetters = "(SELECT count(*) FROM " + BAD_EVENTS + " WHERE " + ERROR + " <> 'late')";
        checks.add(new Check("bad_events_rate",
                "SELECT CAST(" + deadLetters + " AS double) / nullif(" + deadLetters + " + (SELECT count(*) FROM " + EVENTS + "), 0)",
                maxBadRate, "share of Kafka records that became dead letters"));
        checks.addAll(StagingChecks.all());
        return checks;
    }

    /** What `import` checks before and after: no duplicates, and the marketing staging checks. */
    public static List<Check> staging() {
        List<Check> checks = new ArrayList<>();
        checks.add(noDuplicates());
        checks.addAll(StagingChecks.all());
        return checks;
    }

    private static Check noDuplicates() {
        return new Check("no_duplicate_event_id",
                "SELECT count(*) - (SELECT count(*) FROM (SELECT DISTINCT " + USER_ID + ", " + EVENT_ID + " FROM " + EVENTS + ")) FROM " + EVENTS,
                0, "duplicate (user_id, event_id) in events");
    }

    /** Tables beside events, sessions and bad_events are the routed ones (QUESTLOG_ROUTES). */
    static List<String> routedTables(Trino trino) {
        List<List<String>> rows = trino.query("SHOW TABLES");
        return rows.subList(1, rows.size()).stream().map(r -> r.get(0))
                .filter(t -> !TableCatalog.RESERVED.contains(t)).sorted().toList();
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
