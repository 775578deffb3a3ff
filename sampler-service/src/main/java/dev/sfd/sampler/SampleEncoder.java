package dev.sfd.sampler;

import com.google.protobuf.ByteString;
import dev.sfd.api.v1.ModelInfoResponse;
import dev.sfd.api.v1.ModelRef;
import dev.sfd.api.v1.Sample;
import dev.sfd.api.v1.Tensor;
import dev.sfd.api.v1.Timings;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.image.PngImages;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.pipeline.sampler.LiveModel;
import dev.sfd.pipeline.sampler.LoadedModel;
import dev.sfd.pipeline.sampler.SampleBatch;
import dev.sfd.pipeline.sampler.TextPipeline;
import java.util.Arrays;

/**
 * Stage results → sfd.v1 messages: PNG through sfd-core's PngImages, float tensors as repeated
 * values, or (OUTPUT_FORMAT_RAW) as little-endian float32 bytes, one bulk copy per sample.
 */
final class SampleEncoder {

    private SampleEncoder() {
    }

    static ModelRef model(CheckpointManifest m) {
        return ModelRef.newBuilder().setStudent(m.student()).setVersion(m.version()).setSha256(m.sha256()).build();
    }

    /** Sample {@code i} of the batch, numbered {@code index} in its request (values as repeated floats). */
    static Sample sample(SampleBatch batch, int i, int index) {
        return sample(batch, i, index, false);
    }

    /**
     * Sample {@code i} of the batch, numbered {@code index}; {@code raw}: values as little-endian bytes (always
     * for a text student's latents, OUTPUT_FORMAT_LATENT).
     */
    static Sample sample(SampleBatch batch, int i, int index, boolean raw) {
        raw = raw || batch.request().latent();
        FloatTensor all = batch.samples();
        int per = all.sampleSize();
        long[] shape = Arrays.copyOfRange(all.shape(), 1, all.shape().length);
        Sample.Builder s = Sample.newBuilder().setIndex(index).setSeed(batch.seeds()[i]);
        if (batch.request().png()) {
            s.setPng(ByteString.copyFrom(PngImages.toPngBytes(PngImages.toImage(all.data(), i * per,
                    Math.toIntExact(shape[0]), Math.toIntExact(shape[1]), Math.toIntExact(shape[2])))));
        } else {
            Tensor.Builder t = Tensor.newBuilder();
            for (long d : shape) {
                t.addShape(d);
            }
            if (raw) {
                java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(per * Float.BYTES)
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(all.data(), i * per, per);
                t.setRaw(com.google.protobuf.UnsafeByteOperations.unsafeWrap(bytes.array()));
            } else {
                for (int k = i * per; k < (i + 1) * per; k++) {
                    t.addValues(all.data()[k]);
                }
            }
            s.setTensor(t);
        }
        return s.build();
    }

    static Timings timings(SampleBatch batch, long totalNanos) {
        return Timings.newBuilder().setQueueMs(batch.queueNanos() / 1e6).setModelMs(batch.modelNanos() / 1e6)
                .setTotalMs(totalNanos / 1e6).setBatchSize(batch.batchSize()).build();
    }

    static ModelInfoResponse info(LiveModel live) {
        ModelInfoResponse.Builder b = ModelInfoResponse.newBuilder();
        live.current().ifPresent(m -> {
            describe(b, m);
            if (m.takesText()) {
                live.text().ifPresent(t -> describeText(b, t));
            }
        });
        live.pinned().ifPresent(b::setPinnedVersion);
        b.addAllHistory(live.history());
        live.refusals().forEach(r -> b.addRefusals(dev.sfd.api.v1.Refusal.newBuilder().setVersion(r.version())
                .setReason(r.reason()).setAt(r.at().toString())));
        return b.build();
    }

    private static void describe(ModelInfoResponse.Builder b, LoadedModel m) {
        StudentMetadata meta = m.metadata();
        b.setModel(model(m.manifest())).setDataset(meta.dataset()).setClasses(meta.classes())
                .setAnalyticalFirstStep(meta.afs())
                .setSchedule(meta.schedule().kind() + "(t_min=" + meta.schedule().tMin() + ", t_max="
                        + meta.schedule().tMax() + ", rho=" + meta.schedule().rho() + ")")
                .setTeacher(meta.teacherId()).setTeacherSha256(meta.teacherSha256())
                .setLoadedAt(m.loadedAt().toString());
        for (long d : meta.sampleShape()) {
            b.addSampleShape(d);
        }
        for (int n : meta.stepCounts()) {
            b.addTrainedSteps(n).addTrainedNfe(meta.nfe(n));
        }
    }

    /** The text fields of ModelInfo, for a text-to-image student served with {@code text}. */
    private static void describeText(ModelInfoResponse.Builder b, TextPipeline text) {
        b.setTextPrompts(true).setPipeline(text.id()).setPipelineSha256(text.sha256())
                .setMaxPromptTokens(text.maxTokens());
        for (long d : text.imageShape()) {
            b.addImageShape(d);
        }
    }
}
