package io.questlog.ingest.event;

import java.time.Duration;

/** Bounds on what one request may carry. */
public record Limits(long maxBodyBytes, int maxEvents, int maxEventBytes, Duration maxClockSkew, int maxAttributes) {
    public static final Limits DEFAULT = new Limits(1L << 20, 1000, 32 << 10, Duration.ofHours(1), 100);

    public Limits(long maxBodyBytes, int maxEvents, int maxEventBytes, Duration maxClockSkew) {
        this(maxBodyBytes, maxEvents, maxEventBytes, maxClockSkew, DEFAULT.maxAttributes());
    }
}
