package dev.sfd.pipeline.sampler;

/**
 * A checked request: what the batcher runs.
 *
 * @param label  class label (−1 = ∅); ignored for an unconditional student and for a text student
 * @param steps  student steps N
 * @param omega  guidance scale ω
 * @param seeds  one seed per sample
 * @param png    encode samples as PNG (image students; decoded images of a text student)
 * @param latent text students only: return the latents, skip the VAE decoder
 * @param text   text students only: the encoded prompt; null for label and unconditional students
 */
public record SampleRequest(int label, int steps, double omega, long[] seeds, boolean png, boolean latent,
                            TextPrompt text) {

    public SampleRequest {
        seeds = seeds.clone();
    }

    /** A request to a label (or unconditional) student. */
    public SampleRequest(int label, int steps, double omega, long[] seeds, boolean png) {
        this(label, steps, omega, seeds, png, false, null);
    }

    @Override
    public long[] seeds() {
        return seeds.clone();
    }

    public int count() {
        return seeds.length;
    }

    /** Whether the prompt was cut to the tokenizer's max length. */
    public boolean promptTruncated() {
        return text != null && text.truncated();
    }

    /** The same request for one of its samples (streaming sends each sample on its own). */
    public SampleRequest single(int index) {
        return new SampleRequest(label, steps, omega, new long[] {seeds[index]}, png, latent, text);
    }
}
