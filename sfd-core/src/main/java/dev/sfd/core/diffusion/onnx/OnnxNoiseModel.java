package dev.sfd.core.diffusion.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A noise model backed by an ONNX Runtime session, for EDM-style (VE) models.
 *
 * <p>Contract (names configurable through {@link Names}):
 * <ul>
 *   <li>input {@code x}: float [B, …], the noisy sample x_t = x_0 + t·ε;</li>
 *   <li>input {@code t}: float [B], the noise level σ = t of each sample;</li>
 *   <li>optional input {@code cond}: int64 [B] class labels (∅ is passed as
 *       {@link Condition#NULL_LABEL} = −1) or float [B, …] embeddings;</li>
 *   <li>output {@code eps}: float, same shape as x: ε(x, t, c).</li>
 * </ul>
 * The session's inputs are validated when the model is opened; errors name the model, the
 * expected and the actual inputs with their shapes.
 */
public final class OnnxNoiseModel extends OrtNoiseModel {

    /** Input and output names of the contract. */
    public record Names(String x, String t, String cond, String eps) {
        public static Names defaults() {
            return new Names("x", "t", "cond", "eps");
        }
    }

    private final Names names;
    private final long[] declaredX;
    private final TensorInfo condInfo; // null: the model takes no condition

    private record Signature(long[] declaredX, TensorInfo cond) {
    }

    /** Takes ownership of {@code session} (closed by {@link #close()}); validates its inputs. */
    public OnnxNoiseModel(String name, OrtSession session, Names names) {
        super("ONNX noise model", name, session);
        this.names = names;
        Signature sig = signature(s -> {
            TensorInfo x = OrtIo.tensorInput(s, names.x());
            TensorInfo t = OrtIo.tensorInput(s, names.t());
            TensorInfo cond = names.cond() == null ? null : OrtIo.tensorInput(s, names.cond());
            Set<String> expected = new LinkedHashSet<>();
            expected.add(names.x());
            expected.add(names.t());
            if (cond != null) {
                expected.add(names.cond());
            }
            boolean ok = x != null && t != null && s.getInputNames().equals(expected)
                    && x.type == OnnxJavaType.FLOAT && x.getShape().length >= 2
                    && t.type == OnnxJavaType.FLOAT && t.getShape().length == 1
                    && (cond == null
                        || cond.type == OnnxJavaType.INT64 && cond.getShape().length == 1
                        || cond.type == OnnxJavaType.FLOAT && cond.getShape().length >= 2)
                    && s.getOutputNames().contains(names.eps());
            if (!ok) {
                throw new IllegalArgumentException("ONNX noise model '" + name + "' does not match the contract: expected inputs ["
                        + names.x() + ": FLOAT[B, …], " + names.t() + ": FLOAT[B]"
                        + (names.cond() == null ? "" : ", optional " + names.cond() + ": INT64[B] or FLOAT[B, …]")
                        + "] and output " + names.eps() + ", but the model has inputs " + OrtIo.describeInputs(s)
                        + " and outputs " + s.getOutputNames());
            }
            return new Signature(x.getShape(), cond);
        });
        declaredX = sig.declaredX();
        condInfo = sig.cond();
    }

    /** Opens an in-memory model (CPU or CUDA per {@code config}) with the given names. */
    public static OnnxNoiseModel open(String name, byte[] model, SessionConfig config, Names names) {
        return new OnnxNoiseModel(name, OrtSessions.open(name, model, config), names);
    }

    /** Opens a model file. */
    public static OnnxNoiseModel open(Path file, SessionConfig config, Names names) {
        return new OnnxNoiseModel(file.getFileName().toString(), OrtSessions.open(file, config), names);
    }

    @Override
    public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
        NoiseModel.checkInputs(name, x, t, c);
        OrtIo.checkAgainstDeclared(name, names.x(), declaredX, x.shape());
        float[] tf = new float[t.length];
        for (int i = 0; i < t.length; i++) {
            tf[i] = (float) t[i];
        }
        return run(x, names.eps(), inputs -> {
            inputs.put(names.x(), OrtIo.floatTensor(x));
            inputs.put(names.t(), OrtIo.floatVector(tf, new long[] {t.length}));
            if (condInfo != null) {
                inputs.put(names.cond(), condTensor(c, x.batch()));
            } else if (!c.isNone()) {
                throw new IllegalArgumentException("ONNX noise model '" + name + "' takes no condition input but got " + c);
            }
        });
    }

    private OnnxTensor condTensor(Condition c, int batch) throws OrtException {
        if (condInfo.type == OnnxJavaType.INT64) {
            if (c.hasEmbedding()) {
                throw new IllegalArgumentException("ONNX noise model '" + name + "' takes int64 labels as '"
                        + names.cond() + "', got " + c);
            }
            long[] labels = new long[batch];
            for (int i = 0; i < batch; i++) {
                labels[i] = c.labelOf(i);
            }
            return OrtIo.longVector(labels, new long[] {batch});
        }
        if (!c.hasEmbedding()) {
            throw new IllegalArgumentException("ONNX noise model '" + name + "' takes float embeddings as '"
                    + names.cond() + "', got " + c + " (pass the null embedding explicitly for ∅)");
        }
        FloatTensor e = c.embeddingForBatch(batch);
        OrtIo.checkAgainstDeclared(name, names.cond(), condInfo.getShape(), e.shape());
        return OrtIo.floatTensor(e);
    }
}
