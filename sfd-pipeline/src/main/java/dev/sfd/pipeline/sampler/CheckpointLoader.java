package dev.sfd.pipeline.sampler;

import ai.onnx.proto.OnnxMl.TensorProto;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.CorruptCheckpointException;
import java.time.Clock;
import java.util.Arrays;

/**
 * Turns a manifest into a serving {@link LoadedModel}: fetch (size and SHA-256 checked against the
 * manifest by the store), parse, read the student contract, check it matches what is served,
 * check every floating-point weight is finite (a diverged training run or an altered file can
 * store NaN or infinity under a perfectly valid manifest and checksum, and a NaN weight a warm-up
 * never touches, e.g. another class's embedding row, would poison only some requests), open the
 * session, warm it up, and check the warm-up output is finite. A text-to-image student (float {@code cond})
 * must also fit the configured pipeline ({@link TextStudentCheck}) and is warmed up on the empty prompt's
 * embedding. Any check failing refuses the checkpoint with a reason; a store that cannot be
 * reached is not a refusal (an {@link IllegalStateException}: try again later).
 *
 * <p>Warm means warm: the first request a new version serves should cost what a steady one does.
 * ONNX Runtime plans memory per input shape on a shape's first run, so the warm-up runs every
 * batch size the batcher can form (1..max batch) with one network call each (the smallest N),
 * every trained N at batch 1 and at the max batch, and (conditional students) guided sampling at
 * batch 1 and at the max batch (it runs at twice the batch).
 */
final class CheckpointLoader {

    /** Seeds of the warm-up samples (recorded here, so the warm-up is reproducible). */
    static final long WARMUP_SEED = 0x5FD_0000L;

    private final CheckpointStore store;
    private final SessionConfig session;
    private final int warmupBatch;
    private final Clock clock;
    private final TextPipeline text; // null: no pipeline configured, text students are refused

    CheckpointLoader(CheckpointStore store, SessionConfig session, int warmupBatch, Clock clock) {
        this(store, session, warmupBatch, clock, null);
    }

    CheckpointLoader(CheckpointStore store, SessionConfig session, int warmupBatch, Clock clock, TextPipeline text) {
        this.store = store;
        this.session = session;
        this.warmupBatch = Math.max(1, warmupBatch);
        this.clock = clock;
        this.text = text;
    }

    /**
     * @param expectedStudent the student name served
     * @param current         the model serving now (its contract must be kept), or null
     */
    LoadedModel load(CheckpointManifest manifest, String expectedStudent, LoadedModel current)
            throws CheckpointRefusedException {
        String what = manifest.student() + " v" + manifest.version();
        if (!manifest.student().equals(expectedStudent)) {
            throw new CheckpointRefusedException(what + " is for student '" + manifest.student() + "', this sampler serves '"
                    + expectedStudent + "'");
        }
        byte[] bytes;
        try {
            bytes = store.fetch(manifest);
        } catch (CorruptCheckpointException e) {
            throw new CheckpointRefusedException("checksum: " + e.getMessage());
        }
        OnnxModel model;
        StudentMetadata meta;
        try {
            model = OnnxModel.parse(manifest.objectKey(), bytes);
            meta = StudentMetadata.of(model);
        } catch (IllegalArgumentException e) {
            throw new CheckpointRefusedException("contract: " + what + ": " + e.getMessage());
        }
        if (current != null) {
            StudentMetadata served = current.metadata();
            if (!served.dataset().equals(meta.dataset()) || !Arrays.equals(served.sampleShape(), meta.sampleShape())
                    || served.classes() != meta.classes()) {
                throw new CheckpointRefusedException("contract: " + what + " is a '" + meta.dataset() + "' student with samples "
                        + Arrays.toString(meta.sampleShape()) + " and " + meta.classes() + " classes, but v"
                        + current.version() + " serves '" + served.dataset() + "' " + Arrays.toString(served.sampleShape())
                        + " with " + served.classes() + " classes; publish it under another student name");
            }
        }
        long[] cond = TextStudentCheck.embeddingInput(model);
        if (cond != null) {
            TextStudentCheck.require(what, meta, cond, text);
        }
        requireFiniteWeights(model, what);
        StudentSampler sampler;
        try {
            sampler = new StudentSampler(new StudentCheckpoint(model, meta, manifest.sha256()), session);
        } catch (RuntimeException e) {
            throw new CheckpointRefusedException("session: " + what + " cannot be opened: " + e.getMessage());
        }
        try {
            int first = meta.stepCounts().get(0);
            int cheapest = meta.afs() ? 2 : 1; // one network call: the shapes matter to ORT, not N
            for (int b = 1; b <= warmupBatch; b++) {
                warmUp(sampler, meta, b, cheapest, 1.0);
            }
            for (int n : meta.stepCounts()) {
                warmUp(sampler, meta, 1, n, 1.0);
                if (warmupBatch > 1) {
                    warmUp(sampler, meta, warmupBatch, n, 1.0);
                }
            }
            if (meta.classes() > 0 || cond != null) {
                warmUp(sampler, meta, 1, first, 2.0);
                warmUp(sampler, meta, warmupBatch, first, 2.0);
            }
        } catch (RuntimeException e) {
            sampler.close();
            throw new CheckpointRefusedException("warm-up: " + what + ": " + e.getMessage());
        }
        return new LoadedModel(manifest, sampler, clock.instant());
    }

    /** Refuses a model with a NaN or infinite value in any floating-point initializer, naming the first. */
    static void requireFiniteWeights(OnnxModel model, String what) throws CheckpointRefusedException {
        long bad = 0;
        String first = null;
        for (TensorProto t : model.parameters().values()) {
            double[] values = Tensors.toDoubles(t);
            for (int i = 0; i < values.length; i++) {
                if (!Double.isFinite(values[i])) {
                    if (first == null) {
                        first = "'" + t.getName() + "'[" + i + "] = " + values[i];
                    }
                    bad++;
                }
            }
        }
        if (bad > 0) {
            throw new CheckpointRefusedException("weights: " + what + " has " + bad + " non-finite weight value"
                    + (bad == 1 ? "" : "s") + " (first: " + first + "); the training run that wrote it diverged or "
                    + "the file was altered: it is not served (publish a checkpoint from a healthy run)");
        }
    }

    private void warmUp(StudentSampler sampler, StudentMetadata meta, int batch, int steps, double omega) {
        if (sampler.takesEmbedding()) {
            long[] seeds = new long[batch];
            for (int i = 0; i < batch; i++) {
                seeds[i] = WARMUP_SEED + i;
            }
            // the empty prompt's embedding for every sample: real text-encoder output, the shapes of a request
            StudentSample s = sampler.sample(seeds, dev.sfd.core.diffusion.Condition.embedding(
                    text.unconditional().embeddingForBatch(batch)), text.unconditional(), steps, omega);
            s.samples().requireFinite("warm-up latents at N = " + steps + ", batch " + batch + ", guidance " + omega);
            return;
        }
        long[] seeds = new long[batch];
        int[] labels = meta.classes() > 0 ? new int[batch] : null;
        for (int i = 0; i < batch; i++) {
            seeds[i] = WARMUP_SEED + i;
            if (labels != null) {
                labels[i] = i % meta.classes();
            }
        }
        StudentSample s = sampler.sample(seeds, labels, steps, omega);
        s.samples().requireFinite("warm-up samples at N = " + steps + ", batch " + batch + ", guidance " + omega);
    }
}
