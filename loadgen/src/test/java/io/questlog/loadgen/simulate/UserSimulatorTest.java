package io.questlog.loadgen.simulate;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class UserSimulatorTest {
    private static final long NOW = 1_718_000_000_000L;
    private static final Duration GAP = Duration.ofMinutes(30);

    private static List<UserEvent> run(int users, long seed) {
        return UserSimulator.simulate(new UserSimulator.Spec(users, Duration.ofHours(3), GAP, seed), NOW);
    }

    @Test
    void sameSeedGivesTheSameEventsAndEventIds() {
        assertThat(run(50, 42)).isEqualTo(run(50, 42));
    }

    @Test
    void differentSeedsGiveDifferentUsersAndIds() {
        Set<String> a = run(50, 1).stream().map(UserEvent::eventId).collect(Collectors.toSet());
        Set<String> b = run(50, 2).stream().map(UserEvent::eventId).collect(Collectors.toSet());
        assertThat(a).doesNotContainAnyElementsOf(b);
        assertThat(run(50, 1).get(0).userId()).isNotEqualTo(run(50, 2).get(0).userId());
    }

    @Test
    void timestampsLieInTheLastHoursUpToNowAndAreSorted() {
        List<UserEvent> events = run(200, 7);
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.eventTs()).isBetween(NOW - 3 * 3_600_000L, NOW));
        assertThat(events).isSortedAccordingTo((x, y) -> Long.compare(x.eventTs(), y.eventTs()));
        // the span is used: activity right up to the end and in the first half
        assertThat(events.get(events.size() - 1).eventTs()).isGreaterThan(NOW - 10 * 60_000L);
        assertThat(events.get(0).eventTs()).isLessThan(NOW - 2 * 3_600_000L);
    }

    @Test
    void everyEventHasAUniqueVersion4Uuid() {
        List<UserEvent> events = run(200, 7);
        assertThat(events).allSatisfy(e -> {
            UUID u = UUID.fromString(e.eventId());
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
        });
        assertThat(events.stream().map(UserEvent::eventId).distinct().count()).isEqualTo(events.size());
    }

    @Test
    void usersHaveOneDeviceAndTheMixIsRealistic() {
        List<UserEvent> events = run(400, 11);
        Map<String, Set<String>> agentsPerUser = events.stream().collect(Collectors.groupingBy(UserEvent::userId,
                Collectors.mapping(UserEvent::userAgent, Collectors.toSet())));
        assertThat(agentsPerUser).hasSize(400).allSatisfy((u, agents) -> assertThat(agents).hasSize(1));

        Map<String, Long> usersPerOs = agentsPerUser.values().stream().map(s -> s.iterator().next())
                .map(ua -> DeviceProfile.CATALOG.stream().filter(p -> p.userAgent().equals(ua)).findFirst().orElseThrow().osFamily())
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(usersPerOs.keySet()).contains("iOS", "Android", "Windows", "Mac OS X", "Other");
        assertThat(usersPerOs.get("iOS")).isBetween(80L, 160L);      // ~32 % of 400
        assertThat(usersPerOs.get("Other")).isBetween(5L, 40L);      // bot + unknown client, ~5 %
        Set<String> devices = events.stream().map(UserEvent::deviceFamily).collect(Collectors.toSet());
        assertThat(devices).contains("iPhone", "iPad", "Mac", "Spider", "Pixel 8", "Samsung SM-S918B", "Other");
    }

    @Test
    void eventTypesAndTheirAttributes() {
        List<UserEvent> events = run(200, 3);
        Map<String, List<UserEvent>> byType = events.stream().collect(Collectors.groupingBy(UserEvent::eventType));
        assertThat(byType).containsOnlyKeys("page_view", "level_start", "level_complete", "purchase_sword",
                "join_guild", "ad_click");
        assertThat(byType.get("purchase_sword")).allSatisfy(e -> assertThat(e.attributes()).containsKeys("sword_type", "price"));
        assertThat(byType.get("join_guild")).allSatisfy(e -> assertThat(e.attributes()).containsKey("guild_name"));
        assertThat(byType.get("level_complete")).allSatisfy(e -> assertThat(e.attributes()).containsKeys("level", "score"));
        // at most one guild join per user
        assertThat(byType.get("join_guild").stream().collect(Collectors.groupingBy(UserEvent::userId, Collectors.counting())))
                .allSatisfy((u, n) -> assertThat(n).isEqualTo(1L));
    }

    @Test
    void idleTimesFallBothShorterAndLongerThanTheGapButNeverNearIt() {
        List<UserEvent> events = run(200, 5);
        Map<String, List<UserEvent>> byUser = events.stream().collect(Collectors.groupingBy(UserEvent::userId));
        long gap = GAP.toMillis();
        long shortIdles = 0;
        long longIdles = 0;
        for (List<UserEvent> es : byUser.values()) {
            for (int i = 1; i < es.size(); i++) {
                long d = es.get(i).eventTs() - es.get(i - 1).eventTs();
                assertThat(d > gap * 8 / 10 && d < gap * 12 / 10).as("pause %d ms stays clear of the gap boundary", d).isFalse();
                if (d > gap) longIdles++;
                else if (d > gap * 15 / 100) shortIdles++;
            }
        }
        assertThat(shortIdles).isGreaterThan(50);
        assertThat(longIdles).isGreaterThan(50);
    }
}
