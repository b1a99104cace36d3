package io.questlog.loadgen.marketing;

import static io.questlog.loadgen.simulate.MarketingSimulator.APP_CLOSE;
import static io.questlog.loadgen.simulate.MarketingSimulator.APP_OPEN;
import static io.questlog.loadgen.simulate.MarketingSimulator.FIRST_SEEN;
import static io.questlog.loadgen.simulate.MarketingSimulator.PURCHASE;

import io.questlog.contract.Marketing;
import io.questlog.loadgen.simulate.UserEvent;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The marketing questions answered from the generator's events in plain Java (no Spark, no SQL): the ground truth
 * the named queries are tested against.
 * <ul>
 *   <li>A session is a user's {@code app_open} up to the next {@code app_close} (or the user's next app_open, or no
 *   end); a purchase belongs to the session it happened in and takes its campaign_id and channel_id; a purchase
 *   outside any session has none. At equal times an open comes before a purchase, a purchase before a close.</li>
 *   <li>A user is new in the UTC week (Monday) of their first {@code first_seen}; the organic share of a country's
 *   week is organic new users / all new users over that week and the 3 before, every week from the first to the
 *   last with a new user anywhere, missing weeks counting zero (share null when there is no new user at all).</li>
 * </ul>
 */
public final class MarketingAnswers {
    public record Attribution(String purchaseId, String userId, long ts, BigDecimal revenue, String campaignId, String channelId) {}

    public record OrganicShare(String country, LocalDate week, long newUsers, long organicUsers, long newUsers4w,
                               long organicUsers4w, Double share) {}

    private MarketingAnswers() {
    }

    public static List<Attribution> attribution(List<UserEvent> events) {
        Map<String, List<UserEvent>> byUser = events.stream()
                .filter(e -> e.eventType().equals(APP_OPEN) || e.eventType().equals(PURCHASE) || e.eventType().equals(APP_CLOSE))
                .collect(Collectors.groupingBy(UserEvent::userId));
        List<Attribution> out = new ArrayList<>();
        for (List<UserEvent> user : byUser.values()) {
            user.sort(Comparator.comparingLong(UserEvent::eventTs).thenComparingInt(MarketingAnswers::order));
            UserEvent open = null;
            for (UserEvent e : user) {
                switch (e.eventType()) {
                    case APP_OPEN -> open = e;
                    case APP_CLOSE -> open = null;
                    default -> out.add(new Attribution(e.eventId(), e.userId(), e.eventTs(), new BigDecimal(e.attributes().get(Marketing.REVENUE)),
                            open == null ? null : open.attributes().get(Marketing.CAMPAIGN_ID),
                            open == null ? null : open.attributes().get(Marketing.CHANNEL_ID)));
                }
            }
        }
        out.sort(Comparator.comparing(Attribution::purchaseId));
        return out;
    }

    /** Revenue per campaign, highest first (ties by name); purchases outside sessions are not counted. */
    public static Map<String, BigDecimal> revenueByCampaign(List<UserEvent> events) {
        Map<String, BigDecimal> sums = new HashMap<>();
        for (Attribution a : attribution(events)) {
            if (a.campaignId() != null) sums.merge(a.campaignId(), a.revenue(), BigDecimal::add);
        }
        return sums.entrySet().stream()
                .sorted(Map.Entry.<String, BigDecimal>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    /** Sessions (app_open events) per channel_id. */
    public static Map<String, Long> sessionsByChannel(List<UserEvent> events) {
        return events.stream().filter(e -> e.eventType().equals(APP_OPEN))
                .collect(Collectors.groupingBy(e -> e.attributes().get(Marketing.CHANNEL_ID), TreeMap::new, Collectors.counting()));
    }

    public static List<OrganicShare> organicShare(List<UserEvent> events) {
        Map<String, UserEvent> firstSeen = new HashMap<>();
        for (UserEvent e : events) {
            if (e.eventType().equals(FIRST_SEEN)) firstSeen.merge(e.userId(), e, (a, b) -> b.eventTs() < a.eventTs() ? b : a);
        }
        Map<String, Map<LocalDate, long[]>> counts = new TreeMap<>(); // country -> week -> {new, organic}
        TreeSet<LocalDate> weeks = new TreeSet<>();
        for (UserEvent e : firstSeen.values()) {
            LocalDate week = week(e.eventTs());
            weeks.add(week);
            long[] c = counts.computeIfAbsent(e.attributes().get(Marketing.COUNTRY), k -> new HashMap<>()).computeIfAbsent(week, k -> new long[2]);
            c[0]++;
            if (Marketing.ORGANIC.equals(e.attributes().get(Marketing.CHANNEL))) c[1]++;
        }
        List<OrganicShare> out = new ArrayList<>();
        if (weeks.isEmpty()) return out;
        for (var country : counts.entrySet()) {
            List<long[]> window = new ArrayList<>();
            for (LocalDate w = weeks.first(); !w.isAfter(weeks.last()); w = w.plusWeeks(1)) {
                long[] c = country.getValue().getOrDefault(w, new long[2]);
                window.add(c);
                long n4 = 0, o4 = 0;
                for (int i = Math.max(0, window.size() - 4); i < window.size(); i++) {
                    n4 += window.get(i)[0];
                    o4 += window.get(i)[1];
                }
                out.add(new OrganicShare(country.getKey(), w, c[0], c[1], n4, o4, n4 == 0 ? null : (double) o4 / n4));
            }
        }
        return out;
    }

    /** The Monday (UTC) of an instant's week, as Trino's date_trunc('week', ...) gives it. */
    public static LocalDate week(long epochMs) {
        return Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC).toLocalDate().with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    }

    private static int order(UserEvent e) {
        return switch (e.eventType()) {
            case APP_OPEN -> 0;
            case PURCHASE -> 1;
            default -> 2;
        };
    }
}
