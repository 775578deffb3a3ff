package dev.sfd.pipeline.sampler;

import ai.onnx.proto.OnnxMl;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.onnx.OnnxModel;
import java.util.Arrays;

/**
 * Whether a text-to-image student (its {@code cond} is a float embedding [B, L, D]) can be served with
 * the configured pipeline: one must be configured, the student's teacher sha256 must be the pipeline's
 * (the same text encoder, VAE and UNet it was distilled from), and its embedding and latent shapes must
 * be the pipeline's. A failed check refuses the checkpoint; the serving model stays.
 */
final class TextStudentCheck {

    private TextStudentCheck() {
    }

    /** The dims of a float {@code cond} input (−1 where symbolic), or null when the student takes labels or none. */
    static long[] embeddingInput(OnnxModel model) {
        for (OnnxMl.ValueInfoProto v : model.graph().getInputList()) {
            if (v.getName().equals("cond")
                    && v.getType().getTensorType().getElemType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
                return v.getType().getTensorType().getShape().getDimList().stream()
                        .mapToLong(d -> d.hasDimValue() ? d.getDimValue() : -1).toArray();
            }
        }
        return null;
    }

    static void require(String what, StudentMetadata meta, long[] cond, TextPipeline text)
            throws CheckpointRefusedException {
        String student = what + " is a text-to-image student (cond float " + Arrays.toString(cond) + ") of teacher '"
                + meta.teacherId() + "' sha256 " + meta.teacherSha256();
        if (text == null) {
            throw new CheckpointRefusedException("pipeline: " + student + ", but this sampler has no text-to-image "
                    + "pipeline (sfd.sampler.pipeline is empty): set sfd.sampler.pipeline to the pipeline folder (or its "
                    + ".teacher.json) the student was distilled from");
        }
        if (!meta.teacherSha256().equals(text.sha256())) {
            throw new CheckpointRefusedException("pipeline: " + student + ", but the configured pipeline '" + text.id()
                    + "' has sha256 " + text.sha256() + ": run the sampler with the pipeline the student was distilled "
                    + "from (sfd.sampler.pipeline), or publish a student of '" + text.id() + "'");
        }
        long[] want = text.embeddingShape();
        boolean fits = cond.length == want.length + 1;
        for (int i = 0; fits && i < want.length; i++) {
            fits = cond[i + 1] < 0 || cond[i + 1] == want[i];
        }
        if (!fits) {
            throw new CheckpointRefusedException("pipeline: " + student + ", whose cond is " + Arrays.toString(cond)
                    + ", but the text encoder of '" + text.id() + "' gives embeddings [B, " + want[0] + ", " + want[1]
                    + "]: the student does not fit this pipeline; publish a student distilled from it");
        }
        if (!Arrays.equals(meta.sampleShape(), text.latentShape())) {
            throw new CheckpointRefusedException("pipeline: " + student + " with latents "
                    + Arrays.toString(meta.sampleShape()) + ", but the VAE decoder of '" + text.id() + "' takes "
                    + Arrays.toString(text.latentShape()) + ": publish a student distilled from this pipeline");
        }
    }
}
