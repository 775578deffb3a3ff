package dev.sfd.pipeline.sampler;

import java.time.Duration;

/**
 * What one reload attempt did.
 *
 * @param result   what happened
 * @param version  the version it was about (0 when none)
 * @param reason   why (refused, failed or unchanged), empty when loaded
 * @param loadTime fetch + verify + load + warm-up (zero unless loaded)
 */
public record ReloadOutcome(Result result, long version, String reason, Duration loadTime) {

    public enum Result {
        /** Now serving {@code version}. */
        LOADED,
        /** The checkpoint is corrupt or incompatible; the current model keeps serving. */
        REFUSED,
        /** Nothing to do (not newer, pinned, already serving). */
        UNCHANGED,
        /** Could not try (e.g. the store is unreachable); will be tried again on the next poll. */
        FAILED
    }

    static ReloadOutcome loaded(long version, Duration loadTime) {
        return new ReloadOutcome(Result.LOADED, version, "", loadTime);
    }

    static ReloadOutcome refused(long version, String reason) {
        return new ReloadOutcome(Result.REFUSED, version, reason, Duration.ZERO);
    }

    static ReloadOutcome unchanged(long version, String reason) {
        return new ReloadOutcome(Result.UNCHANGED, version, reason, Duration.ZERO);
    }

    static ReloadOutcome failed(long version, String reason) {
        return new ReloadOutcome(Result.FAILED, version, reason, Duration.ZERO);
    }
}
