package io.questlog.contract;

import java.util.List;

/**
 * The marketing seeds' events, as clients send them to {@code POST /events} (and `import` reads them from files):
 * the event types, the attributes each must carry, and the values the staging checks allow.
 */
public final class Marketing {
    /** A user first seen: attributes {@link #COUNTRY}, {@link #OS}, {@link #CHANNEL} (how the user was acquired). */
    public static final String FIRST_SEEN = "first_seen";
    /** A session starts: attributes {@link #CAMPAIGN_ID}, {@link #CHANNEL_ID}. */
    public static final String APP_OPEN = "app_open";
    /** Attribute {@link #REVENUE}, a decimal amount. */
    public static final String PURCHASE = "purchase";
    /** The session ends. */
    public static final String APP_CLOSE = "app_close";

    public static final String CAMPAIGN_ID = "campaign_id";
    public static final String CHANNEL_ID = "channel_id";
    public static final String REVENUE = "revenue";
    public static final String COUNTRY = "country";
    public static final String OS = "os";
    public static final String CHANNEL = "channel";

    /** The acquisition channel whose weekly share the organic_share query reports. */
    public static final String ORGANIC = "organic";
    /** Acquisition channels the staging checks accept. */
    public static final List<String> ACQUISITION_CHANNELS = List.of(ORGANIC, "paid_search", "paid_social", "referral", "email");

    private Marketing() {
    }
}
