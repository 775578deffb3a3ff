package dev.sfd.core.distill;

import dev.sfd.core.diffusion.ClassifierFreeGuidance;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.CountingNoiseModel;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.solver.AnalyticalFirstStep;
import dev.sfd.core.diffusion.solver.Euler;
import dev.sfd.core.diffusion.solver.Solver;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;

/**
 * Few-step sampling with a student checkpoint, configured by its metadata alone: Euler over the
 * stored Γ(N) (x_n = x_{n+1} + (t_n − t_{n+1})·ε_ψ(x_{n+1}, t_{n+1}, c, N)), after the analytic
 * first step when the student was trained with AFS, with classifier-free guidance at any ω
 * (ω ≠ 1: one batched call per step with the ∅ label −1; ω = 1: conditional calls only).
 *
 * <p>Untrained N: Γ(N) is rebuilt from the stored schedule parameters and the step-count
 * embedding is evaluated at N (extrapolation); the result carries {@code untrained = true} and a
 * warning instead of failing. N must still be ≥ 1 (≥ 2 with AFS, else no network call is made).
 */
public final class StudentSampler implements FewStepSampler, AutoCloseable {

    private final StudentMetadata meta;
    private final StudentNetwork network;

    public StudentSampler(StudentCheckpoint checkpoint, SessionConfig config) {
        this.meta = checkpoint.metadata();
        this.network = new StudentNetwork(checkpoint.model(), config);
    }

    @Override
    public StudentMetadata metadata() {
        return meta;
    }

    /** Whether the student's {@code cond} is a float embedding per sample (a text-to-image student), not a label. */
    public boolean takesEmbedding() {
        return network.takesEmbedding();
    }

    /** The time grid for N steps: the trained Γ(N), or Γ(N) rebuilt from the stored schedule. */
    public double[] timestamps(int steps) {
        int min = meta.afs() ? 2 : 1;
        if (steps < min) {
            throw new IllegalArgumentException("student of '" + meta.teacherId() + "' cannot sample with N = " + steps
                    + " steps: need N >= " + min + (meta.afs() ? " (AFS makes the first step analytic)" : ""));
        }
        double[] t = meta.trainedTimestamps(steps);
        return t != null ? t : meta.schedule().schedule().timestampsDescending(steps);
    }

    /** Samples with the N that spends {@code nfe} network calls (N = NFE + 1 with AFS). */
    @Override
    public StudentSample sampleAtNfe(long[] seeds, int[] labels, int nfe, double omega) {
        return sample(seeds, labels, meta.stepsForNfe(nfe), omega);
    }

    /**
     * @param seeds  one seed per sample (x_N = t_N·z, z from the seed)
     * @param labels one class label per sample (−1 = ∅), or null for an unconditional student
     * @param steps  student steps N
     * @param omega  guidance scale ω (1 = conditional only, as trained)
     */
    public StudentSample sample(long[] seeds, int[] labels, int steps, double omega) {
        double[] t = timestamps(steps);
        boolean untrained = meta.trainedTimestamps(steps) == null;
        String warning = untrained ? "N = " + steps + " was not trained (trained N: " + meta.stepCounts() + "): Γ(" + steps
                + ") rebuilt from " + meta.schedule().kind() + " schedule on [" + meta.schedule().tMin() + ", "
                + meta.schedule().tMax() + "]" + (network.takesSteps() ? ", step-count embedding extrapolated"
                : ", fixed-N student used at another N") : "";
        Condition c = labels == null ? Condition.none() : Condition.labels(labels);
        if (labels != null && !network.conditional()) {
            throw new IllegalArgumentException("student of '" + meta.teacherId() + "' is unconditional; pass no labels");
        }
        return sample(seeds, c, Condition.none(), steps, omega, t, untrained, warning);
    }

    /**
     * Samples a text-conditioned student (float {@code cond}): {@code c} holds one embedding per sample,
     * {@code unconditional} the ∅ embedding (the empty prompt's) used when ω ≠ 1.
     */
    public StudentSample sample(long[] seeds, Condition c, Condition unconditional, int steps, double omega) {
        if (!network.takesEmbedding()) {
            throw new IllegalArgumentException("student of '" + meta.teacherId() + "' takes "
                    + (network.conditional() ? "class labels" : "no condition") + ", not embeddings: use sample(seeds, "
                    + "labels, steps, omega)");
        }
        double[] t = timestamps(steps);
        boolean untrained = meta.trainedTimestamps(steps) == null;
        String warning = untrained ? "N = " + steps + " was not trained (trained N: " + meta.stepCounts() + ")" : "";
        return sample(seeds, c, unconditional, steps, omega, t, untrained, warning);
    }

    /** {@link #sample(long[], Condition, Condition, int, double)} with the N that spends {@code nfe} network calls. */
    public StudentSample sampleAtNfe(long[] seeds, Condition c, Condition unconditional, int nfe, double omega) {
        return sample(seeds, c, unconditional, meta.stepsForNfe(nfe), omega);
    }

    private StudentSample sample(long[] seeds, Condition c, Condition unconditional, int steps, double omega,
            double[] t, boolean untrained, String warning) {
        if (omega != 1.0 && !network.conditional()) {
            throw new IllegalArgumentException("guidance ω = " + omega + " needs a conditional student");
        }
        CountingNoiseModel counted = new CountingNoiseModel(network.atSteps(steps));
        NoiseModel model = omega == 1.0 ? counted : new ClassifierFreeGuidance(counted, omega, unconditional);
        Solver solver = meta.afs() ? new AnalyticalFirstStep(new Euler()) : new Euler();
        FloatTensor xN = SeededNoise.gaussian(seeds, meta.sampleShape(), t[0]); // x_N ~ N(0, t_N² I)
        FloatTensor x0 = solver.solve(model, xN, t, c);
        return new StudentSample(x0, steps, (int) counted.calls(), t, omega, untrained, warning);
    }

    @Override
    public void close() {
        network.close();
    }
}
