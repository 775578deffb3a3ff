package dev.sfd.core.distill;

/**
 * Anything that samples a trained student at a given NFE for given seeds and labels: the student
 * in process ({@link StudentSampler}) or a served one (the CLI's gRPC client of sampler-service), so
 * the same quality evaluation measures both.
 */
public interface FewStepSampler {

    /** How the student was made (schedule, trained N, data set, sample shape). */
    StudentMetadata metadata();

    /**
     * Samples for {@code seeds} (one sample per seed, noise from that seed alone) at {@code nfe}.
     *
     * @param labels per-sample class labels (−1 = ∅), or null for an unconditional student
     */
    StudentSample sampleAtNfe(long[] seeds, int[] labels, int nfe, double omega);
}
