package dev.sfd.core.diffusion;

import dev.sfd.core.tensor.FloatTensor;

/**
 * Classifier-free guidance as a noise model (SFD.md "Guidance"):
 * {@code ε̃ = ω·ε(x, t, c) + (1 − ω)·ε(x, t, ∅)}.
 *
 * <p>For ω ≠ 1 both branches run in ONE call of batch 2B (conditional rows first, ∅ rows second);
 * for ω = 1 it is exactly the single conditional call (no ∅ branch at all), and for ω = 0 exactly
 * the single ∅ call. The ∅ condition defaults to {@link Condition#none()} (labels become
 * {@link Condition#NULL_LABEL}); embedding models need the empty prompt's embedding here.
 */
public final class ClassifierFreeGuidance implements NoiseModel {

    private final NoiseModel model;
    private final double omega;
    private final Condition unconditional;

    public ClassifierFreeGuidance(NoiseModel model, double omega) {
        this(model, omega, Condition.none());
    }

    /** @param unconditional the ∅ condition (batch 1 embeddings are repeated for every sample) */
    public ClassifierFreeGuidance(NoiseModel model, double omega, Condition unconditional) {
        if (!Double.isFinite(omega)) {
            throw new IllegalArgumentException("guidance scale ω must be finite, got " + omega);
        }
        this.model = model;
        this.omega = omega;
        this.unconditional = unconditional;
    }

    public double omega() {
        return omega;
    }

    @Override
    public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
        NoiseModel.checkInputs(name(), x, t, c);
        if (omega == 1.0) {
            return model.epsilon(x, t, c);
        }
        int b = x.batch();
        if (omega == 0.0) {
            return model.epsilon(x, t, unconditionalFor(b));
        }
        FloatTensor both = model.epsilon(twice(x), twice(t), Condition.concat(c, b, unconditionalFor(b), b));
        float[] e = both.data();
        int half = x.data().length;
        float[] out = new float[half];
        for (int i = 0; i < half; i++) {
            out[i] = (float) (omega * e[i] + (1.0 - omega) * e[half + i]); // ε̃ = ω·ε_c + (1−ω)·ε_∅
        }
        return new FloatTensor(x.shape().clone(), out);
    }

    private Condition unconditionalFor(int batch) {
        return unconditional.hasEmbedding() && unconditional.embeddingTensor().batch() == 1
                ? Condition.embedding(unconditional.embeddingForBatch(batch))
                : unconditional;
    }

    private static FloatTensor twice(FloatTensor x) {
        long[] shape = x.shape().clone();
        shape[0] *= 2;
        float[] d = new float[x.data().length * 2];
        System.arraycopy(x.data(), 0, d, 0, x.data().length);
        System.arraycopy(x.data(), 0, d, x.data().length, x.data().length);
        return new FloatTensor(shape, d);
    }

    private static double[] twice(double[] t) {
        double[] d = new double[t.length * 2];
        System.arraycopy(t, 0, d, 0, t.length);
        System.arraycopy(t, 0, d, t.length, t.length);
        return d;
    }

    @Override
    public String name() {
        return "cfg(ω=" + omega + ", " + model.name() + ")";
    }

    @Override
    public void close() {
        model.close();
    }
}
