package dev.sfd.pipeline.sampler;

import java.time.Duration;

/**
 * The dynamic batcher's knobs (Triton's dynamic batcher as the model).
 *
 * @param maxBatch       most samples in one model call ({@code sfd.sampler.max-batch}; 1 = batching off)
 * @param maxQueueDelay  longest a request waits for others to share its call ({@code sfd.sampler.max-queue-delay})
 * @param queueCapacity  most samples waiting; more is refused at once as RESOURCE_EXHAUSTED
 *                       ({@code sfd.sampler.queue-capacity}; at least the largest request)
 * @param workers        threads running model calls ({@code sfd.sampler.workers})
 */
public record BatcherSettings(int maxBatch, Duration maxQueueDelay, int queueCapacity, int workers) {

    public BatcherSettings {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("sfd.sampler.max-batch must be >= 1, got " + maxBatch);
        }
        if (maxQueueDelay == null || maxQueueDelay.isNegative()) {
            throw new IllegalArgumentException("sfd.sampler.max-queue-delay must be >= 0, got " + maxQueueDelay);
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("sfd.sampler.queue-capacity must be >= 1, got " + queueCapacity);
        }
        if (workers < 1) {
            throw new IllegalArgumentException("sfd.sampler.workers must be >= 1, got " + workers);
        }
    }
}
