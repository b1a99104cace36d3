package io.questlog.loadgen.simulate;

import java.util.List;

/**
 * A kind of device a simulated user plays on: the User-Agent it sends and the ua-parser families
 * that ingest-api derives from it (checked against uap-java in the tests), so ground truth needs no parser.
 *
 * @param weight relative share of users on this device
 */
public record DeviceProfile(String name, String userAgent, String browserFamily, String osFamily,
                            String deviceFamily, int weight) {

    /** A plausible mix for a mobile-first game with a web client, plus a crawler and an unknown client. */
    public static final List<DeviceProfile> CATALOG = List.of(
            new DeviceProfile("iphone-safari",
                    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                    "Mobile Safari", "iOS", "iPhone", 26),
            new DeviceProfile("samsung-chrome",
                    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.165 Mobile Safari/537.36",
                    "Chrome Mobile", "Android", "Samsung SM-S918B", 16),
            new DeviceProfile("pixel-chrome",
                    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.6422.165 Mobile Safari/537.36",
                    "Chrome Mobile", "Android", "Pixel 8", 9),
            new DeviceProfile("windows-chrome",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
                    "Chrome", "Windows", "Other", 18),
            new DeviceProfile("windows-edge",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.2535.67",
                    "Edge", "Windows", "Other", 7),
            new DeviceProfile("windows-firefox",
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:126.0) Gecko/20100101 Firefox/126.0",
                    "Firefox", "Windows", "Other", 5),
            new DeviceProfile("mac-safari",
                    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                    "Safari", "Mac OS X", "Mac", 8),
            new DeviceProfile("ipad-safari",
                    "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                    "Mobile Safari", "iOS", "iPad", 6),
            new DeviceProfile("googlebot",
                    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                    "Googlebot", "Other", "Spider", 2),
            new DeviceProfile("unknown-client",
                    "GameLauncher/3.2.1",
                    "Other", "Other", "Other", 3));

    public DeviceProfile {
        if (weight <= 0) throw new IllegalArgumentException("weight must be positive: " + name);
    }
}
