package dev.sfd.pipeline.sampler;

import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.tensor.FloatTensor;

/**
 * The samples of one request, and how they were made.
 *
 * @param seeds       the seed of each sample, in request order
 * @param samples     x_0, [count, sample shape…]; a text-to-image student: the decoded images [count, C, H, W],
 *                    or for a LATENT request the latents
 * @param model       the checkpoint that produced them
 * @param request     the request as run
 * @param nfe         network calls per sample
 * @param timestamps  Γ(N) used, descending
 * @param untrained   N was not trained (see {@code warning})
 * @param warning     note for an untrained N and for a prompt cut to the tokenizer's length, else empty
 * @param queueNanos  time the request waited in the batch queue
 * @param modelNanos  time of the batched model call
 * @param batchSize   samples in that batched call
 */
public record SampleBatch(long[] seeds, FloatTensor samples, CheckpointManifest model, SampleRequest request, int nfe,
                          double[] timestamps, boolean untrained, String warning, long queueNanos, long modelNanos,
                          int batchSize) {
}
