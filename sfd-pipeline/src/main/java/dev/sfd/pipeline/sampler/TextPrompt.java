package dev.sfd.pipeline.sampler;

import dev.sfd.core.tensor.FloatTensor;

/**
 * A Generate request's prompt after the checks, encoded on the request's own thread: the model thread
 * only stacks these embeddings.
 *
 * @param text      the text encoded ("" = unconditional, the empty prompt)
 * @param embedding its text-encoder output [1, L, D]
 * @param truncated the prompt had more tokens than the tokenizer keeps; the rest was cut
 * @param maxTokens the tokenizer's max length (for the warning)
 */
public record TextPrompt(String text, FloatTensor embedding, boolean truncated, int maxTokens) {

    /** The note a response carries for a cut prompt, else empty. */
    public String warning() {
        return truncated ? "prompt: longer than the tokenizer's " + maxTokens + " tokens; the text encoder saw only the "
                + "first " + maxTokens + " (the rest was cut): shorten the prompt to use all of it" : "";
    }
}
