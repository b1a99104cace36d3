package io.questlog.contract;

import java.util.Set;

/** One routed table and the event types whose rows it receives (the same columns as {@code events}). */
public record Route(String table, Set<String> eventTypes) {
    public Route {
        eventTypes = Set.copyOf(eventTypes);
    }
}
