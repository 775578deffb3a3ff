package dev.sfd.core.distill;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * The training prompts of a text-conditioned distillation and their text embeddings, computed once per
 * prompt (never per trajectory): row i of {@code embeddings} [P, L, D] belongs to {@code prompts.get(i)}.
 * A trajectory's "label" is its prompt's index here, so batches, stored trajectories and the trainer's
 * feed carry an int64 index and the student's float condition input is looked up from it.
 */
public record PromptEmbeddings(List<String> prompts, FloatTensor embeddings) implements PromptRows {

    public PromptEmbeddings {
        prompts = List.copyOf(prompts);
        if (prompts.isEmpty() || embeddings.rank() < 2 || embeddings.batch() != prompts.size()) {
            throw new IllegalArgumentException("prompt embeddings: " + prompts.size() + " prompts need embeddings ["
                    + prompts.size() + ", …] (one row per prompt), got " + embeddings.shapeString());
        }
        embeddings.requireFinite("prompt embeddings");
    }

    @Override
    public int size() {
        return prompts.size();
    }

    /** Shape of one embedding, without the batch dimension. */
    public long[] embeddingShape() {
        return java.util.Arrays.copyOfRange(embeddings.shape(), 1, embeddings.rank());
    }

    /** The embeddings of prompts {@code indices}, batch-first [B, L, D]. */
    @Override
    public FloatTensor rows(long[] indices) {
        int per = embeddings.sampleSize();
        float[] out = new float[indices.length * per];
        for (int i = 0; i < indices.length; i++) {
            long k = indices[i];
            if (k < 0 || k >= prompts.size()) {
                throw new IllegalArgumentException("prompt index " + k + " at row " + i + " is outside the "
                        + prompts.size() + " training prompts (0.." + (prompts.size() - 1) + ")");
            }
            System.arraycopy(embeddings.data(), (int) k * per, out, i * per, per);
        }
        long[] shape = embeddings.shape().clone();
        shape[0] = indices.length;
        return new FloatTensor(shape, out);
    }

    /** The embedding condition of prompts {@code indices}. */
    public Condition condition(long[] indices) {
        return Condition.embedding(rows(indices));
    }
}
