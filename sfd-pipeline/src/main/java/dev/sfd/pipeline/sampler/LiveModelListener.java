package dev.sfd.pipeline.sampler;

import java.time.Duration;

/** Hears what the {@link LiveModel} does (the service turns it into logs and metrics). */
public interface LiveModelListener {

    LiveModelListener NONE = new LiveModelListener() { };

    /** {@code model} serves from now on; {@code loadTime} covers fetch, checks, load and warm-up. */
    default void loaded(LoadedModel model, Duration loadTime) {
    }

    /** A checkpoint was refused; the current model keeps serving. */
    default void refused(Refusal refusal) {
    }

    /**
     * A version that was refused before is offered again: {@code retried} true when its manifest now
     * names other bytes (another sha256), so it is tried again; false when it is the same refused file.
     */
    default void refusedBefore(long version, String sha256, boolean retried, String reason) {
    }

    /** A reload could not be tried (store unreachable, …); it is retried on the next poll. */
    default void failed(long version, String reason) {
    }
}
