package dev.sfd.core.distill;

import dev.sfd.core.tensor.FloatTensor;

/**
 * Samples from a student and how they were made.
 *
 * @param samples    x_0 [B, …]
 * @param steps      student steps N
 * @param nfe        network calls made (batched calls; ω ≠ 1 runs both branches in one call)
 * @param timestamps Γ(N) descending as used
 * @param omega      guidance scale
 * @param untrained  true when N was not trained: Γ(N) was rebuilt from the stored schedule and the
 *                   step-count embedding extrapolated (see {@link #warning})
 * @param warning    human-readable note for an untrained N, else empty
 */
public record StudentSample(FloatTensor samples, int steps, int nfe, double[] timestamps, double omega,
        boolean untrained, String warning) {
}
