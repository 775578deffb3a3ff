package dev.sfd.pipeline.sampler;

import java.time.Duration;
import java.util.Arrays;

/**
 * The dynamic batcher's knobs (Triton's dynamic batcher as the model: preferred batch sizes and a
 * bounded queue delay), plus the idle fast path.
 *
 * @param maxBatch        most samples in one model call ({@code sfd.sampler.max-batch}; 1 = batching off)
 * @param maxQueueDelay   longest a request waits for others to share its call ({@code sfd.sampler.max-queue-delay})
 * @param queueCapacity   most samples waiting; more is refused at once as RESOURCE_EXHAUSTED
 *                        ({@code sfd.sampler.queue-capacity}; at least the largest request)
 * @param workers         threads running model calls ({@code sfd.sampler.workers})
 * @param preferredSizes  batch sizes (samples) that start a call at once, without waiting out the delay
 *                        ({@code sfd.sampler.preferred-batch-sizes}; ascending, each in 1..maxBatch; empty =
 *                        only maxBatch)
 * @param idleFastPath    when nothing is queued and no call runs, a request runs on the thread that submits
 *                        it, with no hand-off ({@code sfd.sampler.idle-fast-path})
 * @param delayAlways     false (the default): the delay applies only while another model call is in flight,
 *                        so a lone request never waits; true: every call waits out the delay unless it is
 *                        full or at a preferred size (Triton's own rule; {@code sfd.sampler.delay-always})
 */
public record BatcherSettings(int maxBatch, Duration maxQueueDelay, int queueCapacity, int workers,
                              int[] preferredSizes, boolean idleFastPath, boolean delayAlways) {

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
        preferredSizes = preferredSizes == null ? new int[0] : preferredSizes.clone();
        for (int i = 0; i < preferredSizes.length; i++) {
            int p = preferredSizes[i];
            if (p < 1 || p > maxBatch || (i > 0 && p <= preferredSizes[i - 1])) {
                throw new IllegalArgumentException("sfd.sampler.preferred-batch-sizes must be ascending, each in 1.."
                        + maxBatch + " (sfd.sampler.max-batch), got " + Arrays.toString(preferredSizes));
            }
        }
    }

    /** Greedy batching as before the fast path (no preferred sizes, the delay only under load, fast path on). */
    public static BatcherSettings of(int maxBatch, Duration maxQueueDelay, int queueCapacity, int workers) {
        return new BatcherSettings(maxBatch, maxQueueDelay, queueCapacity, workers, new int[0], true, false);
    }

    /** Whether a call of {@code samples} samples should start now rather than wait for more. */
    boolean due(int samples) {
        if (samples >= maxBatch) {
            return true;
        }
        for (int p : preferredSizes) {
            if (p == samples) {
                return true;
            }
        }
        return preferredSizes.length > 0 && samples >= preferredSizes[preferredSizes.length - 1];
    }

    @Override
    public int[] preferredSizes() {
        return preferredSizes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BatcherSettings b && b.maxBatch == maxBatch && b.maxQueueDelay.equals(maxQueueDelay)
                && b.queueCapacity == queueCapacity && b.workers == workers
                && Arrays.equals(b.preferredSizes, preferredSizes) && b.idleFastPath == idleFastPath
                && b.delayAlways == delayAlways;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new int[] {maxBatch, maxQueueDelay.hashCode(), queueCapacity, workers,
                Arrays.hashCode(preferredSizes), idleFastPath ? 1 : 0, delayAlways ? 1 : 0});
    }

    @Override
    public String toString() {
        return "BatcherSettings[maxBatch=" + maxBatch + ", maxQueueDelay=" + maxQueueDelay + ", queueCapacity="
                + queueCapacity + ", workers=" + workers + ", preferredSizes=" + Arrays.toString(preferredSizes)
                + ", idleFastPath=" + idleFastPath + ", delayAlways=" + delayAlways + "]";
    }
}
