package dev.sfd.core.distill;

import dev.sfd.core.tensor.FloatTensor;

/**
 * Text conditioning as the student trainer sees it: a batch's "labels" are prompt indices, and this turns
 * them into the rows of the student's float {@code cond} input [B, L, D]. A fixed set of training prompts
 * ({@link PromptEmbeddings}) or a table that grows as a stream brings new prompts.
 */
public interface PromptRows {

    /** Prompts known so far (indices 0..size−1). */
    int size();

    /** The embeddings of prompts {@code indices}, batch-first [B, L, D]. */
    FloatTensor rows(long[] indices);
}
