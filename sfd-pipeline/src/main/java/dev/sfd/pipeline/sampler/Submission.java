package dev.sfd.pipeline.sampler;

import java.util.concurrent.CompletableFuture;

/**
 * A request waiting in (or run by) the {@link DynamicBatcher}. Its future completes with the
 * samples, or exceptionally with a {@link SamplerException} (DEADLINE_EXCEEDED, CANCELLED,
 * UNAVAILABLE, …) or an unexpected error.
 */
public final class Submission {

    final SampleRequest request;
    final long enqueuedNanos;
    final long deadlineNanos;
    final CompletableFuture<SampleBatch> future = new CompletableFuture<>();
    private final DynamicBatcher owner;

    Submission(DynamicBatcher owner, SampleRequest request, long enqueuedNanos, long deadlineNanos) {
        this.owner = owner;
        this.request = request;
        this.enqueuedNanos = enqueuedNanos;
        this.deadlineNanos = deadlineNanos;
    }

    public CompletableFuture<SampleBatch> result() {
        return future;
    }

    /** Drops the request if it has not started running (the caller went away). */
    public void cancel() {
        owner.cancel(this);
    }

    boolean batchesWith(Submission other) {
        return request.steps() == other.request.steps()
                && Double.compare(request.omega(), other.request.omega()) == 0;
    }

    boolean expired(long now) {
        return now - deadlineNanos >= 0;
    }
}
