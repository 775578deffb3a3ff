package dev.sfd.core.diffusion;

import dev.sfd.core.tensor.FloatTensor;

/**
 * Wraps a {@link NoiseModel} and counts its network evaluations: {@link #calls()} is the NFE
 * (one per batched call), {@link #rows()} the number of sample rows evaluated (a guided call with
 * batch 2B counts 1 call and 2B rows). Closing it closes the wrapped model.
 */
public final class CountingNoiseModel implements NoiseModel {

    private final NoiseModel inner;
    private long calls;
    private long rows;

    public CountingNoiseModel(NoiseModel inner) {
        this.inner = inner;
    }

    @Override
    public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
        calls++;
        rows += x.batch();
        return inner.epsilon(x, t, c);
    }

    /** Number of network calls so far (the NFE). */
    public long calls() {
        return calls;
    }

    /** Number of sample rows evaluated so far. */
    public long rows() {
        return rows;
    }

    public void reset() {
        calls = 0;
        rows = 0;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void close() {
        inner.close();
    }
}
