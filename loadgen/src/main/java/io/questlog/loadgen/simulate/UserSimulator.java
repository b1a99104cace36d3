package io.questlog.loadgen.simulate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Simulates players over a span of time that ends at a given instant (normally "now"), so every
 * event lies in the past and a watermarked session aggregation can close the sessions.
 *
 * <p>Each player has one device; plays sessions of events seconds to minutes apart; and between
 * sessions idles either shorter than the session gap (the analytics will merge those) or longer.
 * Everything derives from the seed: same seed, users, span, gap and end give the same events,
 * including their event_ids.
 */
public final class UserSimulator {

    /** What to simulate. */
    public record Spec(int users, Duration span, Duration sessionGap, long seed) {
        public Spec {
            if (users < 1) throw new IllegalArgumentException("users must be >= 1");
            if (span.isNegative() || span.isZero()) throw new IllegalArgumentException("span must be positive");
            if (sessionGap.toMillis() < 10) throw new IllegalArgumentException("session gap too small");
        }
    }

    private static final String[] PAGES = {"/", "/shop", "/guilds", "/leaderboard", "/map", "/inventory"};
    private static final String[] SWORDS = {"longsword", "katana", "rapier", "claymore", "scimitar"};
    private static final int[] SWORD_PRICES = {20, 35, 25, 50, 30};
    private static final String[] GUILDS = {"Knights of Ni", "Dragon Slayers", "The Fellowship", "Night Watch"};
    private static final String[] AD_PLACEMENTS = {"banner", "interstitial", "rewarded"};

    private UserSimulator() {
    }

    /** All events of all users, sorted by event_ts (then event_id); every event_ts in [end - span, end]. */
    public static List<UserEvent> simulate(Spec spec, long endEpochMs) {
        SplittableRandom master = new SplittableRandom(spec.seed());
        int totalWeight = DeviceProfile.CATALOG.stream().mapToInt(DeviceProfile::weight).sum();
        List<UserEvent> out = new ArrayList<>();
        for (int i = 0; i < spec.users(); i++) {
            SplittableRandom r = master.split();
            String userId = "anon-" + String.format("%012x", r.nextLong() & 0xffff_ffff_ffffL);
            DeviceProfile device = pick(r, totalWeight);
            new Player(r, userId, device, spec, endEpochMs).play(out);
        }
        out.sort(Comparator.comparingLong(UserEvent::eventTs).thenComparing(UserEvent::eventId));
        return List.copyOf(out);
    }

    static DeviceProfile pick(SplittableRandom r, int totalWeight) {
        int x = r.nextInt(totalWeight);
        for (DeviceProfile p : DeviceProfile.CATALOG) {
            x -= p.weight();
            if (x < 0) return p;
        }
        throw new AssertionError("weights");
    }

    /** Random version-4 UUID drawn from the seeded generator. */
    static UUID uuid(SplittableRandom r) {
        long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** One player's state while walking through the time span. */
    private static final class Player {
        private final SplittableRandom r;
        private final String userId;
        private final DeviceProfile device;
        private final long start;
        private final long end;
        private final long gap;
        private int level = 1;
        private long levelStartedAt = -1;
        private boolean inGuild;

        Player(SplittableRandom r, String userId, DeviceProfile device, Spec spec, long end) {
            this.r = r;
            this.userId = userId;
            this.device = device;
            this.end = end;
            this.start = end - spec.span().toMillis();
            this.gap = spec.sessionGap().toMillis();
        }

        void play(List<UserEvent> out) {
            // players show up at different times during the first half of the span
            long t = start + r.nextLong(Math.max(1, (end - start) / 2));
            while (t <= end) {
                int events = 1 + r.nextInt(3) + r.nextInt(30);
                for (int e = 0; e < events; e++) {
                    if (e > 0) t += withinSessionPause();
                    if (t > end) break;
                    out.add(event(e == 0 ? "page_view" : nextType(), t));
                }
                levelStartedAt = -1;
                t += idle();
            }
        }

        /** Seconds mostly, sometimes minutes; always well under the session gap. */
        private long withinSessionPause() {
            int p = r.nextInt(100);
            long pause;
            if (p < 70) pause = 2_000 + r.nextLong(58_000);
            else if (p < 95) pause = 60_000 + r.nextLong(240_000);
            else pause = 300_000 + r.nextLong(300_000);
            return Math.max(1, Math.min(pause, gap / 3));
        }

        /** 40 % of breaks are shorter than the session gap (same analytic session), 60 % longer. */
        private long idle() {
            if (r.nextInt(100) < 40) return gap * 15 / 100 + r.nextLong(gap * 65 / 100);
            return gap * 12 / 10 + r.nextLong(gap * 28 / 10);
        }

        private String nextType() {
            int p = r.nextInt(100);
            if (levelStartedAt >= 0) {
                if (p < 45) return "level_complete";
                if (p < 70) return "page_view";
                if (p < 82) return "purchase_sword";
                if (p < 90) return inGuild ? "page_view" : "join_guild";
                return "ad_click";
            }
            if (p < 40) return "level_start";
            if (p < 75) return "page_view";
            if (p < 85) return "purchase_sword";
            if (p < 90) return inGuild ? "level_start" : "join_guild";
            return "ad_click";
        }

        private UserEvent event(String type, long t) {
            Map<String, String> attrs = switch (type) {
                case "page_view" -> Map.of("page", PAGES[r.nextInt(PAGES.length)]);
                case "level_start" -> {
                    levelStartedAt = t;
                    yield Map.of("level", Integer.toString(level));
                }
                case "level_complete" -> {
                    long took = (t - levelStartedAt) / 1000;
                    levelStartedAt = -1;
                    yield Map.of("level", Integer.toString(level++), "score", Integer.toString(100 + r.nextInt(9_900)),
                            "duration_s", Long.toString(took));
                }
                case "purchase_sword" -> {
                    int s = r.nextInt(SWORDS.length);
                    yield Map.of("sword_type", SWORDS[s], "price", Integer.toString(SWORD_PRICES[s]));
                }
                case "join_guild" -> {
                    inGuild = true;
                    yield Map.of("guild_name", GUILDS[r.nextInt(GUILDS.length)]);
                }
                case "ad_click" -> Map.of("ad_id", "ad-" + (1000 + r.nextInt(50)),
                        "placement", AD_PLACEMENTS[r.nextInt(AD_PLACEMENTS.length)]);
                default -> throw new IllegalStateException(type);
            };
            return new UserEvent(uuid(r).toString(), type, userId, t, device.userAgent(),
                    device.browserFamily(), device.osFamily(), device.deviceFamily(), attrs);
        }
    }
}
