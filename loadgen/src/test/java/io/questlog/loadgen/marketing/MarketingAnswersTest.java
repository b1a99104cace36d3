package io.questlog.loadgen.marketing;

import static org.assertj.core.api.Assertions.assertThat;

import io.questlog.loadgen.simulate.MarketingSimulator;
import io.questlog.loadgen.simulate.UserEvent;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MarketingAnswersTest {
    static final long MONDAY = 1_764_547_200_000L; // 2025-12-01T00:00Z, a Monday
    static final long H = 3_600_000L;
    static final long WEEK = 7 * 24 * H;

    @Test
    void aPurchaseTakesItsSessionsCampaignAndOutsideASessionNone() {
        List<UserEvent> events = List.of(
                ev("p0", "purchase", "u1", 0, Map.of("revenue", "1.00")),             // before any open
                ev("o1", "app_open", "u1", 1 * H, Map.of("campaign_id", "c1", "channel_id", "Google Ads")),
                ev("p1", "purchase", "u1", 2 * H, Map.of("revenue", "10.50")),
                ev("x1", "app_close", "u1", 3 * H, Map.of()),
                ev("p2", "purchase", "u1", 4 * H, Map.of("revenue", "2.00")),          // between sessions
                ev("o2", "app_open", "u1", 5 * H, Map.of("campaign_id", "c2", "channel_id", "VK Ads")),
                ev("p3", "purchase", "u1", 5 * H, Map.of("revenue", "3.25")),          // same time as the open
                ev("o3", "app_open", "u2", 1 * H, Map.of("campaign_id", "c2", "channel_id", "VK Ads")),
                ev("p4", "purchase", "u2", 9 * H, Map.of("revenue", "7.00")));         // never closed
        var a = MarketingAnswers.attribution(events);
        assertThat(a).extracting(MarketingAnswers.Attribution::purchaseId, MarketingAnswers.Attribution::campaignId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p0", null), org.assertj.core.groups.Tuple.tuple("p1", "c1"),
                        org.assertj.core.groups.Tuple.tuple("p2", null), org.assertj.core.groups.Tuple.tuple("p3", "c2"),
                        org.assertj.core.groups.Tuple.tuple("p4", "c2"));
        assertThat(MarketingAnswers.revenueByCampaign(events)).containsExactly(
                Map.entry("c1", new BigDecimal("10.50")), Map.entry("c2", new BigDecimal("10.25")));
        assertThat(MarketingAnswers.sessionsByChannel(events)).isEqualTo(Map.of("Google Ads", 1L, "VK Ads", 2L));
    }

    @Test
    void organicShareRollsOverFourWeeksWithMissingWeeksAsZero() {
        List<UserEvent> events = new ArrayList<>();
        events.add(seen("a", MONDAY, "NL", "organic"));
        events.add(seen("b", MONDAY + H, "NL", "paid_search"));
        events.add(seen("b", MONDAY + 2 * WEEK, "DE", "organic"));   // b's second first_seen: the first counts
        events.add(seen("c", MONDAY + 5 * WEEK, "BE", "organic"));
        var rows = MarketingAnswers.organicShare(events);
        assertThat(rows).hasSize(2 * 6); // BE and NL (b counts in NL), weeks 0..5
        var nl = rows.stream().filter(r -> r.country().equals("NL")).toList();
        assertThat(nl.get(0).week()).isEqualTo(LocalDate.of(2025, 12, 1));
        assertThat(nl).extracting(MarketingAnswers.OrganicShare::newUsers4w).containsExactly(2L, 2L, 2L, 2L, 0L, 0L);
        assertThat(nl).extracting(MarketingAnswers.OrganicShare::share).containsExactly(0.5, 0.5, 0.5, 0.5, null, null);
        var be = rows.stream().filter(r -> r.country().equals("BE")).toList();
        assertThat(be.get(5).share()).isEqualTo(1.0);
        assertThat(be.get(0).newUsers()).isZero();
    }

    @Test
    void theGeneratorProducesTheEdgeCases() {
        var events = MarketingSimulator.simulate(new MarketingSimulator.Spec(300, Duration.ofDays(70), 7), MONDAY + 10 * WEEK);
        var a = MarketingAnswers.attribution(events);
        assertThat(a).anyMatch(x -> x.campaignId() == null).anyMatch(x -> x.campaignId() != null);
        assertThat(events).allMatch(e -> e.eventTs() >= MONDAY && e.eventTs() <= MONDAY + 10 * WEEK);
        var shares = MarketingAnswers.organicShare(events);
        assertThat(shares).anyMatch(r -> r.newUsers() == 0); // a small country misses some weeks
        assertThat(MarketingSimulator.simulate(new MarketingSimulator.Spec(300, Duration.ofDays(70), 7), MONDAY + 10 * WEEK))
                .isEqualTo(events);
    }

    static UserEvent ev(String id, String type, String user, long t, Map<String, String> attrs) {
        return new UserEvent(id, type, user, MONDAY + t, "ua", "b", "o", "d", attrs);
    }

    static UserEvent seen(String user, long t, String country, String channel) {
        return new UserEvent(user + t, "first_seen", user, t, "ua", "b", "o", "d",
                Map.of("country", country, "os", "iOS", "channel", channel));
    }
}
