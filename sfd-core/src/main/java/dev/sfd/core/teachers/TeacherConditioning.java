package dev.sfd.core.teachers;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.nn.Embedding;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.Linear;
import dev.sfd.core.onnx.nn.SinusoidalEmbedding;
import java.util.List;

/**
 * The conditioning path shared by the teacher nets: a time embedding (sinusoidal features of
 * c_noise → Linear → SiLU → Linear, exposed as the named value
 * {@link TeacherMetadata#TIME_EMBEDDING_VALUE} where an SFD student adds its step-count
 * embedding) plus a label embedding with C+1 rows, row C being ∅ (label −1).
 */
final class TeacherConditioning {

    private TeacherConditioning() {
    }

    /** c_noise [B] → time embedding [B, dim], output named {@link TeacherMetadata#TIME_EMBEDDING_VALUE}. */
    static String timeEmbedding(GraphBuilder g, String cNoise, int features, int dim, Init init) {
        Linear fc1 = new Linear(g, "temb.fc1", features, dim, init);
        Linear fc2 = new Linear(g, "temb.fc2", dim, dim, init);
        String feats = SinusoidalEmbedding.apply(g, g.scale(cNoise, EdmPreconditioning.NOISE_FEATURE_SCALE), features,
                1000);
        return g.op("Identity", List.of(fc2.apply(g.silu(fc1.apply(feats)))), TeacherMetadata.TIME_EMBEDDING_VALUE);
    }

    /** cond int64 [B] (−1 = ∅) → label embedding [B, dim]; ∅ maps to row {@code classes}. */
    static String labelEmbedding(GraphBuilder g, String cond, int classes, int dim, Init init) {
        Embedding table = new Embedding(g, "label", classes + 1, dim, init);
        String isNull = g.op("Less", List.of(cond, g.int64(0)));
        String index = g.where(isNull, g.int64(classes), cond);              // −1 → row C (∅)
        return table.apply(index);
    }

    /** Declares the contract inputs x [B, …sample], t [B], cond int64 [B]. */
    static void inputs(GraphBuilder g, long... sampleShape) {
        long[] dims = new long[sampleShape.length + 1];
        dims[0] = -1;
        System.arraycopy(sampleShape, 0, dims, 1, sampleShape.length);
        g.input(TeacherMetadata.X, dims);
        g.input(TeacherMetadata.T, -1);
        g.input(TeacherMetadata.COND, DataType.INT64, "batch");
    }
}
