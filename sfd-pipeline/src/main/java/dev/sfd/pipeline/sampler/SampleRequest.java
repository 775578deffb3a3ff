package dev.sfd.pipeline.sampler;

/**
 * A checked request: what the batcher runs.
 *
 * @param label  class label (−1 = ∅); ignored for an unconditional student
 * @param steps  student steps N
 * @param omega  guidance scale ω
 * @param seeds  one seed per sample
 * @param png    encode samples as PNG (image students only)
 */
public record SampleRequest(int label, int steps, double omega, long[] seeds, boolean png) {

    public SampleRequest {
        seeds = seeds.clone();
    }

    @Override
    public long[] seeds() {
        return seeds.clone();
    }

    public int count() {
        return seeds.length;
    }

    /** The same request for one of its samples (streaming sends each sample on its own). */
    public SampleRequest single(int index) {
        return new SampleRequest(label, steps, omega, new long[] {seeds[index]}, png);
    }
}
