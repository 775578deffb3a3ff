package dev.sfd.core.diffusion.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.VpVe;
import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Adapter that makes a discrete VP (Stable-Diffusion-style) ε-prediction network an ordinary VE
 * {@link NoiseModel} (SFD.md "Latent / VP models"): for a VE state x at noise σ = t it calls the
 * network with {@code sample = x / sqrt(σ² + 1)} (the VP state), {@code timestep} = the
 * interpolated discrete timestep of σ in the ᾱ table, and {@code encoder_hidden_states} = the
 * condition's embedding; the predicted ε is returned unchanged.
 *
 * <p>Contract (names configurable): input sample float [B, …]; input timestep float or int64 of
 * shape [B] or a scalar (then all samples of a call must share t; int64 timesteps are rounded);
 * optional input encoder_hidden_states float [B, L, D]; output float, same shape as sample.
 */
public final class VpOnnxNoiseModel extends OrtNoiseModel {

    /** Input and output names; the defaults are the diffusers ONNX export's. */
    public record Names(String sample, String timestep, String encoderHiddenStates, String output) {
        public static Names defaults() {
            return new Names("sample", "timestep", "encoder_hidden_states", "out_sample");
        }
    }

    private final Names names;
    private final AlphaBarTable table;
    private final long[] declaredSample;
    private final TensorInfo timestepInfo;
    private final TensorInfo hiddenInfo; // null: unconditional network

    private record Signature(long[] declaredSample, TensorInfo timestep, TensorInfo hidden) {
    }

    /** Takes ownership of {@code session}; validates its inputs against the contract. */
    public VpOnnxNoiseModel(String name, OrtSession session, Names names, AlphaBarTable table) {
        super("VP ONNX model", name, session);
        this.names = names;
        this.table = table;
        Signature sig = signature(s -> {
            TensorInfo sample = OrtIo.tensorInput(s, names.sample());
            TensorInfo timestep = OrtIo.tensorInput(s, names.timestep());
            TensorInfo hidden = names.encoderHiddenStates() == null ? null
                    : OrtIo.tensorInput(s, names.encoderHiddenStates());
            Set<String> expected = new LinkedHashSet<>();
            expected.add(names.sample());
            expected.add(names.timestep());
            if (hidden != null) {
                expected.add(names.encoderHiddenStates());
            }
            boolean ok = sample != null && timestep != null && s.getInputNames().equals(expected)
                    && sample.type == OnnxJavaType.FLOAT && sample.getShape().length >= 2
                    && (timestep.type == OnnxJavaType.FLOAT || timestep.type == OnnxJavaType.INT64)
                    && timestep.getShape().length <= 1
                    && (hidden == null || hidden.type == OnnxJavaType.FLOAT)
                    && s.getOutputNames().contains(names.output());
            if (!ok) {
                throw new IllegalArgumentException("VP ONNX model '" + name + "' does not match the contract: expected inputs ["
                        + names.sample() + ": FLOAT[B, …], " + names.timestep() + ": FLOAT or INT64 [B] or scalar"
                        + (names.encoderHiddenStates() == null ? "" : ", optional " + names.encoderHiddenStates()
                        + ": FLOAT[B, L, D]") + "] and output " + names.output() + ", but the model has inputs "
                        + OrtIo.describeInputs(s) + " and outputs " + s.getOutputNames());
            }
            return new Signature(sample.getShape(), timestep, hidden);
        });
        declaredSample = sig.declaredSample();
        timestepInfo = sig.timestep();
        hiddenInfo = sig.hidden();
    }

    public static VpOnnxNoiseModel open(String name, byte[] model, SessionConfig config, Names names,
            AlphaBarTable table) {
        return new VpOnnxNoiseModel(name, OrtSessions.open(name, model, config), names, table);
    }

    public static VpOnnxNoiseModel open(Path file, SessionConfig config, Names names, AlphaBarTable table) {
        return new VpOnnxNoiseModel(file.getFileName().toString(), OrtSessions.open(file, config), names, table);
    }

    @Override
    public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
        NoiseModel.checkInputs(name, x, t, c);
        OrtIo.checkAgainstDeclared(name, names.sample(), declaredSample, x.shape());
        int b = x.batch();
        double[] timestep = new double[b];
        for (int i = 0; i < b; i++) {
            timestep[i] = table.timestepOf(t[i]); // the interpolated discrete timestep of σ
        }
        return run(x, names.output(), inputs -> {
            inputs.put(names.sample(), OrtIo.floatTensor(VpVe.vpFromVe(x, t))); // x / sqrt(σ² + 1)
            inputs.put(names.timestep(), timestepTensor(timestep));
            if (hiddenInfo != null) {
                if (!c.hasEmbedding()) {
                    throw new IllegalArgumentException("VP ONNX model '" + name + "' needs an embedding for '"
                            + names.encoderHiddenStates() + "', got " + c
                            + " (for ∅ pass the empty prompt's embedding)");
                }
                FloatTensor e = c.embeddingForBatch(b);
                OrtIo.checkAgainstDeclared(name, names.encoderHiddenStates(), hiddenInfo.getShape(), e.shape());
                inputs.put(names.encoderHiddenStates(), OrtIo.floatTensor(e));
            } else if (!c.isNone()) {
                throw new IllegalArgumentException("VP ONNX model '" + name + "' takes no condition but got " + c);
            }
        });
    }

    private OnnxTensor timestepTensor(double[] timestep) throws OrtException {
        boolean scalar = timestepInfo.getShape().length == 0;
        if (scalar) {
            for (double v : timestep) {
                if (v != timestep[0]) {
                    throw new IllegalArgumentException("VP ONNX model '" + name + "' takes one scalar timestep,"
                            + " but the batch has different noise levels");
                }
            }
        }
        int n = scalar ? 1 : timestep.length;
        long[] shape = scalar ? new long[0] : new long[] {n};
        if (timestepInfo.type == OnnxJavaType.INT64) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) {
                v[i] = Math.round(timestep[i]);
            }
            return OrtIo.longVector(v, shape);
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) timestep[i];
        }
        return OrtIo.floatVector(v, shape);
    }
}
