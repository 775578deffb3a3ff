package dev.sfd.pipeline.sampler;

/**
 * A generation request as the caller sent it (any transport): every field may be absent (null),
 * nothing is checked yet. {@link RequestValidator} turns it into a {@link SampleRequest}.
 *
 * @param prompt   free text in the student's vocabulary, or for a text student any text its tokenizer knows
 *                 (null: not given)
 * @param label    class label, −1 = ∅ (null: not given)
 * @param steps    student steps N (null: not given)
 * @param nfe      network evaluations per sample (null: not given)
 * @param guidance guidance scale ω (null: 1)
 * @param seeds    one seed per sample (null or empty: not given)
 * @param seed     first seed of seed, seed+1, … (null: not given)
 * @param count    number of samples (0: not given)
 * @param output   requested encoding
 */
public record GenerateInput(String prompt, Integer label, Integer steps, Integer nfe, Double guidance, long[] seeds,
                            Long seed, int count, OutputKind output) {

    /** How samples are returned. */
    public enum OutputKind {
        /** PNG for image students (and the decoded images of text students), tensor otherwise. */
        DEFAULT,
        /** Float values (a text student's decoded images). */
        TENSOR,
        PNG,
        /** Text students only: the latents, with the VAE decoder skipped. */
        LATENT
    }
}
