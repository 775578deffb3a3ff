package dev.sfd.pipeline.sampler;

/** Hears each batched model call of the {@link DynamicBatcher} (for metrics). */
public interface BatchObserver {

    BatchObserver NONE = (requests, samples, modelNanos) -> { };

    /** One model call that served {@code requests} requests with {@code samples} samples in all. */
    void batch(int requests, int samples, long modelNanos);
}
