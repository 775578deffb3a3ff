package dev.sfd.core.distill;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A student ONNX network on ONNX Runtime: ε_ψ(x, t, c, N) with inputs {@code x} float [B, …],
 * {@code t} float [B], optional {@code cond} int64 [B] (−1 = ∅) or float [B, …] (an embedding, e.g. of a
 * prompt) and optional {@code steps} float [B].
 * {@link #atSteps} gives the {@link NoiseModel} of one step count N for the solvers.
 */
public final class StudentNetwork implements AutoCloseable {

    private final String name;
    private final OrtSession session;
    private final boolean hasCond;
    private final boolean hasSteps;
    private final boolean embeddingCond; // cond is a float embedding [B, …] (text), not int64 labels

    public StudentNetwork(OnnxModel model, SessionConfig config) {
        this.name = model.name();
        List<String> inputs = model.inputNames();
        if (!inputs.contains("x") || !inputs.contains("t") || !model.outputNames().contains("eps")) {
            throw new IllegalArgumentException("student '" + name + "' must take x and t and produce eps; it has inputs "
                    + inputs + " and outputs " + model.outputNames());
        }
        this.hasCond = inputs.contains("cond");
        this.hasSteps = inputs.contains(StepCountEmbedding.INPUT);
        this.embeddingCond = hasCond && model.graph().getInputList().stream().filter(v -> v.getName().equals("cond"))
                .anyMatch(v -> v.getType().getTensorType().getElemType()
                        == ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE);
        this.session = OrtSessions.open(name, model.toBytes(), config);
    }

    public boolean conditional() {
        return hasCond;
    }

    /** Whether the condition is a float embedding per sample (e.g. a prompt's text embedding) rather than a label. */
    public boolean takesEmbedding() {
        return embeddingCond;
    }

    public boolean takesSteps() {
        return hasSteps;
    }

    /** ε_ψ(·, ·, ·, N) as a noise model (N is ignored by a fixed-N student). Closing it does not close the network. */
    public NoiseModel atSteps(int steps) {
        return new NoiseModel() {
            @Override
            public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
                return StudentNetwork.this.epsilon(x, t, c, steps);
            }

            @Override
            public String name() {
                return name + "(N=" + steps + ")";
            }
        };
    }

    /** One network evaluation for the whole batch. */
    public FloatTensor epsilon(FloatTensor x, double[] t, Condition c, int steps) {
        NoiseModel.checkInputs(name, x, t, c);
        int b = x.batch();
        Map<String, OnnxTensor> feed = new HashMap<>();
        try {
            feed.put("x", OrtTensors.of(x));
            float[] tf = new float[b];
            for (int i = 0; i < b; i++) {
                tf[i] = (float) t[i];
            }
            feed.put("t", OrtTensors.of(tf, b));
            if (hasCond && embeddingCond) {
                if (!c.hasEmbedding()) {
                    throw new IllegalArgumentException("student '" + name + "' takes a float embedding as 'cond' (e.g. "
                            + "a prompt's text embedding; the empty prompt's for ∅), got " + c);
                }
                feed.put("cond", OrtTensors.of(c.embeddingForBatch(b)));
            } else if (hasCond) {
                if (c.hasEmbedding()) {
                    throw new IllegalArgumentException("student '" + name + "' takes class labels, got " + c);
                }
                long[] labels = new long[b];
                for (int i = 0; i < b; i++) {
                    labels[i] = c.labelOf(i);
                }
                feed.put("cond", OrtTensors.longs(labels, b));
            } else if (!c.isNone()) {
                throw new IllegalArgumentException("student '" + name + "' is unconditional but got " + c);
            }
            if (hasSteps) {
                float[] n = new float[b];
                Arrays.fill(n, steps);
                feed.put(StepCountEmbedding.INPUT, OrtTensors.of(n, b));
            }
            try (OrtSession.Result r = session.run(feed)) {
                FloatTensor eps = OrtTensors.toFloatTensor((OnnxTensor) r.get("eps").orElseThrow());
                if (!Arrays.equals(eps.shape(), x.shape())) {
                    throw new IllegalStateException("student '" + name + "' returned eps " + eps.shapeString()
                            + " for x " + x.shapeString());
                }
                return eps;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("student '" + name + "' failed on x " + x.shapeString() + ": "
                    + e.getMessage(), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close student session '" + name + "'", e);
        }
    }
}
