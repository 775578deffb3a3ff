package dev.sfd.pipeline.trainer;

import java.time.Duration;

/**
 * Retry delays: {@code initial}, doubled after each failure, capped at {@code max}.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= max, got " + initial + " / " + max);
        }
    }

    /** The delay before retry number {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long ms = initial.toMillis();
        for (int i = 1; i < attempt && ms < max.toMillis(); i++) {
            ms *= 2;
        }
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
}
