package io.questlog.stack.analysts;

import static io.questlog.contract.EnvelopeSchema.ATTRIBUTES;
import static io.questlog.contract.EnvelopeSchema.EVENT_TS;
import static io.questlog.contract.EnvelopeSchema.EVENT_TYPE;
import static io.questlog.contract.TableCatalog.EVENTS;

import io.questlog.contract.Marketing;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The staging checks the marketing seeds planned: the marketing events have the expected shape (types, allowed
 * values), and the organic-share answer lists every week x country. They pass trivially when there are no
 * marketing events. Duplicates are `no_duplicate_event_id`'s.
 */
final class StagingChecks {
    private StagingChecks() {}

    static List<Checks.Check> all() {
        String allowed = Marketing.ACQUISITION_CHANNELS.stream().map(c -> "'" + c + "'").collect(Collectors.joining(", "));
        String bad = "SELECT count(*) FROM " + EVENTS + " WHERE "
                + "(" + type(Marketing.APP_OPEN) + " AND (" + blank(Marketing.CAMPAIGN_ID) + " OR " + blank(Marketing.CHANNEL_ID) + "))"
                + " OR (" + type(Marketing.PURCHASE) + " AND coalesce(try_cast(" + attr(Marketing.REVENUE) + " AS decimal(12, 2)) < 0, true))"
                + " OR (" + type(Marketing.FIRST_SEEN) + " AND (NOT coalesce(regexp_like(" + attr(Marketing.COUNTRY) + ", '^[A-Z]{2}$'), false)"
                + " OR " + blank(Marketing.OS) + " OR coalesce(" + attr(Marketing.CHANNEL) + " NOT IN (" + allowed + "), true)))";
        String firstSeen = "SELECT user_id, min(" + EVENT_TS + ") AS first_ts, min_by(" + attr(Marketing.COUNTRY) + ", " + EVENT_TS + ") AS country"
                + " FROM " + EVENTS + " WHERE " + type(Marketing.FIRST_SEEN) + " GROUP BY user_id";
        // expected rows from the data itself: countries x weeks from the first to the last week with a new user
        String complete = "WITH f AS (" + firstSeen + "), answer AS (" + NamedQueries.sqlOf("organic_share") + ")"
                + " SELECT coalesce((SELECT count(DISTINCT country) FROM f WHERE country IS NOT NULL)"
                + " * (SELECT date_diff('week', min(date_trunc('week', first_ts)), max(date_trunc('week', first_ts))) + 1 FROM f WHERE country IS NOT NULL), 0)"
                + " - (SELECT count(*) FROM answer)";
        return List.of(
                new Checks.Check("marketing_events_shape", bad, 0,
                        "app_open without campaign/channel, purchase without a revenue >= 0, first_seen without a country code, os or known channel"),
                new Checks.Check("organic_share_complete", complete, 0, "week x country rows missing from (or extra in) the organic_share answer"));
    }

    private static String type(String t) {
        return EVENT_TYPE + " = '" + t + "'";
    }

    private static String attr(String name) {
        return "element_at(" + ATTRIBUTES + ", '" + name + "')";
    }

    private static String blank(String name) {
        return "coalesce(trim(" + attr(name) + "), '') = ''";
    }
}
