package dev.fleet.history;

import java.time.Duration;

/** Keep at most {@code maxRuns} runs and none older than {@code maxAge}; null means no limit. */
public record Retention(Integer maxRuns, Duration maxAge) {
    public static final Retention KEEP_ALL = new Retention(null, null);
}
