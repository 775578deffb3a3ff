package dev.sfd.pipeline.sampler;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * One model call of a text-to-image student for a batch of requests: the prompt embeddings (encoded on
 * the request threads) stacked per sample, the student run once (ω ≠ 1: the empty prompt's embedding as ∅),
 * then one batched VAE decode of the latents of every request that wants images.
 */
final class TextBatch {

    private TextBatch() {
    }

    static StudentSample sample(LoadedModel model, TextPipeline text, List<Submission> batch, long[] seeds,
            SampleRequest head) {
        List<FloatTensor> rows = new ArrayList<>(seeds.length);
        for (Submission s : batch) {
            if (s.request.text() == null) {
                throw new SamplerException(SamplerException.Kind.FAILED_PRECONDITION, null, "v" + model.version()
                        + " is a text-to-image student but the request was checked without a prompt embedding (for "
                        + "another student); send it again");
            }
            for (int i = 0; i < s.request.count(); i++) {
                rows.add(s.request.text().embedding());
            }
        }
        FloatTensor cond = FloatTensor.concat(rows);
        return model.sampler().sample(seeds, Condition.embedding(cond), text.unconditional(), head.steps(),
                head.omega());
    }

    /** Per request: its decoded images, or (LATENT) its latents; the images of the whole batch in one decode. */
    static FloatTensor[] outputs(TextPipeline text, List<Submission> batch, FloatTensor latents) {
        FloatTensor[] parts = DynamicBatcher.split(batch, latents);
        List<FloatTensor> toDecode = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            if (!batch.get(i).request.latent()) {
                toDecode.add(parts[i]);
            }
        }
        if (toDecode.isEmpty()) {
            return parts;
        }
        FloatTensor images = text.decode(toDecode.size() == batch.size() ? latents : FloatTensor.concat(toDecode));
        int per = images.sampleSize();
        int at = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (batch.get(i).request.latent()) {
                continue;
            }
            int k = batch.get(i).request.count();
            long[] shape = images.shape().clone();
            shape[0] = k;
            parts[i] = new FloatTensor(shape, java.util.Arrays.copyOfRange(images.data(), at * per, (at + k) * per));
            at += k;
        }
        return parts;
    }
}
