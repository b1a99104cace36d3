package io.questlog.loadgen.simulate;

import io.questlog.contract.Marketing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The marketing seeds' data: users first seen with a country, an OS and an acquisition channel
 * ({@code first_seen}), then sessions that start with {@code app_open} (carrying the campaign_id and channel_id that
 * brought the user back) and end with {@code app_close}, with {@code purchase} events (revenue) in between. A few
 * purchases fall between sessions (after a close, before the next open) and some last sessions are never closed,
 * the edge cases attribution must get right. Deterministic for a seed.
 */
public final class MarketingSimulator {
    public static final String FIRST_SEEN = Marketing.FIRST_SEEN;
    public static final String APP_OPEN = Marketing.APP_OPEN;
    public static final String PURCHASE = Marketing.PURCHASE;
    public static final String APP_CLOSE = Marketing.APP_CLOSE;

    /** Countries with very different sizes, so small ones have weeks without a new user. */
    static final String[] COUNTRIES = {"NL", "NL", "NL", "NL", "DE", "DE", "DE", "GB", "GB", "BE"};
    static final String[] ACQUISITION = {Marketing.ORGANIC, Marketing.ORGANIC, Marketing.ORGANIC, "paid_search", "paid_social", "referral"};
    static final String[] OS = {"iOS", "Android", "Android", "Web"};
    static final String[] CHANNELS = {"Google Ads", "Facebook Ads", "Twitter Ads", "Yandex Ads", "VK Ads"};
    static final String[] CAMPAIGNS = {"spring_sale", "summer_quest", "guild_wars", "black_friday", "winter_event", "newcomer"};

    public record Spec(int users, Duration span, long seed) {}

    private MarketingSimulator() {
    }

    /** Every event of every user, sorted by event_ts then event_id; event times within [end - span, end]. */
    public static List<UserEvent> simulate(Spec spec, long endEpochMs) {
        SplittableRandom master = new SplittableRandom(spec.seed());
        int totalWeight = DeviceProfile.CATALOG.stream().mapToInt(DeviceProfile::weight).sum();
        long start = endEpochMs - spec.span().toMillis();
        List<UserEvent> out = new ArrayList<>();
        for (int i = 0; i < spec.users(); i++) {
            SplittableRandom r = master.split();
            String user = "mkt-" + String.format("%012x", r.nextLong() & 0xffff_ffff_ffffL);
            DeviceProfile device = UserSimulator.pick(r, totalWeight);
            long t = start + r.nextLong(spec.span().toMillis());
            Events e = new Events(r, user, device, out);
            e.add(FIRST_SEEN, t, Map.of(Marketing.COUNTRY, COUNTRIES[r.nextInt(COUNTRIES.length)],
                    Marketing.OS, OS[r.nextInt(OS.length)], Marketing.CHANNEL, ACQUISITION[r.nextInt(ACQUISITION.length)]));
            for (int s = r.nextInt(5); s > 0; s--) {
                t += 60_000 + r.nextLong(3 * 86_400_000L);
                if (t > endEpochMs - 3_600_000L) break;
                e.add(APP_OPEN, t, Map.of(Marketing.CAMPAIGN_ID, CAMPAIGNS[r.nextInt(CAMPAIGNS.length)],
                        Marketing.CHANNEL_ID, CHANNELS[r.nextInt(CHANNELS.length)]));
                for (int p = r.nextInt(4); p > 0; p--) {
                    t += 1_000 + r.nextLong(600_000);
                    e.add(PURCHASE, t, Map.of(Marketing.REVENUE, (1 + r.nextInt(50)) + "." + String.format("%02d", r.nextInt(100))));
                }
                boolean last = s == 1;
                if (last && r.nextInt(4) == 0) break; // the last session is sometimes never closed
                t += 1_000 + r.nextLong(600_000);
                e.add(APP_CLOSE, t, Map.of());
                if (r.nextInt(15) == 0) { // a purchase outside any session: attributed to none
                    t += 1_000 + r.nextLong(60_000);
                    e.add(PURCHASE, t, Map.of(Marketing.REVENUE, "9.99"));
                }
            }
        }
        out.sort(Comparator.comparingLong(UserEvent::eventTs).thenComparing(UserEvent::eventId));
        return List.copyOf(out);
    }

    private record Events(SplittableRandom r, String user, DeviceProfile device, List<UserEvent> out) {
        void add(String type, long t, Map<String, String> attributes) {
            out.add(new UserEvent(UserSimulator.uuid(r).toString(), type, user, t, device.userAgent(),
                    device.browserFamily(), device.osFamily(), device.deviceFamily(), attributes));
        }
    }
}
