package dev.sfd.core.teachers;

import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;

/** Clean, labelled training samples of a teacher data set, with condition dropout for CFG. */
public interface TeacherData {

    /** Shape of one sample, e.g. [2] or [3, 16, 16]. */
    long[] sampleShape();

    /** Number of condition classes C (labels 0..C−1; −1 = ∅). */
    int classes();

    /** Builds the ε-network of this data set for {@code recipe} (inputs x, t, cond; output eps). */
    dev.sfd.core.onnx.OnnxModel network(TeacherRecipe recipe);

    /**
     * {@code n} clean samples and their labels, drawn from {@code rng}; each label's attributes
     * are dropped with probability {@code dropout} (a fully dropped label is −1 = ∅).
     */
    Batch draw(int n, SplitMix64 rng, double dropout);

    /** Clean samples x₀ [n, …] and condition labels [n]. */
    record Batch(FloatTensor x0, long[] labels) {
    }
}
