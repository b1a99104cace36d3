package io.questlog.loadgen.send;

import io.questlog.loadgen.simulate.UserEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One POST to {@code /events}: events that share a User-Agent header. */
public record Batch(String userAgent, List<UserEvent> events) {

    public Batch {
        events = List.copyOf(events);
        for (UserEvent e : events) {
            if (!e.userAgent().equals(userAgent)) throw new IllegalArgumentException("mixed User-Agents in a batch");
        }
    }

    /**
     * Cuts events into requests: in event_ts order, slices of at most {@code maxSize} events, each
     * slice split by User-Agent (one header per request). Sending the batches in list order keeps
     * event time roughly increasing, so a streaming watermark does not outrun events still to come.
     */
    public static List<Batch> plan(List<UserEvent> events, int maxSize) {
        if (maxSize < 1) throw new IllegalArgumentException("batch size must be >= 1");
        List<UserEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(UserEvent::eventTs).thenComparing(UserEvent::eventId));
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < sorted.size(); from += maxSize) {
            Map<String, List<UserEvent>> byAgent = new LinkedHashMap<>();
            for (UserEvent e : sorted.subList(from, Math.min(sorted.size(), from + maxSize))) {
                byAgent.computeIfAbsent(e.userAgent(), k -> new ArrayList<>()).add(e);
            }
            byAgent.forEach((ua, list) -> out.add(new Batch(ua, list)));
        }
        return List.copyOf(out);
    }
}
