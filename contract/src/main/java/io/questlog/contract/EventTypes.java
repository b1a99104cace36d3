package io.questlog.contract;

/** The event types the game endpoints produce; clients of {@code POST /events} name their own. */
public final class EventTypes {
    /** {@code GET /} */
    public static final String DEFAULT = "default";
    /** {@code GET /purchase_a_sword}; counted in sessions.purchase_count */
    public static final String PURCHASE_SWORD = "purchase_sword";
    /** {@code GET /join_a_guild}; counted in sessions.guild_join_count */
    public static final String JOIN_GUILD = "join_guild";

    private EventTypes() {
    }
}
