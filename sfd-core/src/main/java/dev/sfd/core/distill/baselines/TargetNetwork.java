package dev.sfd.core.distill.baselines;

import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.distill.StepCountEmbedding;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The target network ψ⁻ of consistency distillation: an exponential moving average of the
 * student's trainable weights, ψ⁻ ← μ·ψ⁻ + (1 − μ)·ψ after every Adam step (μ = 0: the student
 * itself, with stop-gradient). One ONNX Runtime session serves it, with the trainable weights as
 * graph inputs fed from direct buffers: the weights it serves are copied from the average every
 * {@code every} updates, in place, without rebuilding the session. It starts equal to the student.
 */
final class TargetNetwork implements AutoCloseable {

    private final String name;
    private final double mu;
    private final int every;
    private final boolean hasCond;
    private final boolean hasSteps;
    private final OrtSession session;
    private final Map<String, float[]> ema = new LinkedHashMap<>();
    private final Map<String, FloatBuffer> served = new LinkedHashMap<>();
    private final Map<String, OnnxTensor> weights = new LinkedHashMap<>();
    private long updates;
    private long refreshes;

    TargetNetwork(OnnxModel student, Collection<String> trainable, double mu, int every, SessionConfig config) {
        this.name = student.name() + " (CD target)";
        this.mu = mu;
        this.every = every;
        this.hasCond = student.inputNames().contains("cond");
        this.hasSteps = student.inputNames().contains(StepCountEmbedding.INPUT);
        Map<String, TensorProto> params = student.parameters();
        for (String p : trainable) {
            TensorProto t = params.get(p);
            float[] v = Tensors.toFloats(t);
            ema.put(p, v.clone());
            FloatBuffer buf = OrtTensors.directFloats(v.length).put(v).rewind();
            served.put(p, buf);
            weights.put(p, OrtTensors.wrap(buf, t.getDimsList().stream().mapToLong(Long::longValue).toArray()));
        }
        this.session = OrtSessions.open(name, student.withParametersAsInputs(trainable).toBytes(), config);
    }

    /** ε_{ψ⁻}(·, ·, ·, N) as a noise model. */
    NoiseModel atSteps(int steps) {
        return new NoiseModel() {
            @Override
            public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
                return TargetNetwork.this.epsilon(x, t, c, steps);
            }

            @Override
            public String name() {
                return name + "(N=" + steps + ")";
            }
        };
    }

    /** Folds the student's current weights into the average; the served weights follow every {@code every} calls. */
    void update(Map<String, FloatTensor> current) {
        current.forEach((p, value) -> {
            float[] avg = ema.get(p);
            if (avg == null) {
                throw new IllegalArgumentException("CD target network has no parameter '" + p + "'");
            }
            float[] v = value.data();
            for (int i = 0; i < v.length; i++) {
                avg[i] = (float) (mu * avg[i] + (1 - mu) * v[i]);
            }
        });
        if (++updates % every == 0) {
            ema.forEach((p, avg) -> served.get(p).rewind().put(avg).rewind());
            refreshes++;
        }
    }

    /** How many times the served weights were refreshed from the average. */
    long refreshes() {
        return refreshes;
    }

    FloatTensor epsilon(FloatTensor x, double[] t, Condition c, int steps) {
        NoiseModel.checkInputs(name, x, t, c);
        int b = x.batch();
        Map<String, OnnxTensor> created = new HashMap<>();
        try {
            created.put("x", OrtTensors.of(x));
            float[] tf = new float[b];
            for (int i = 0; i < b; i++) {
                tf[i] = (float) t[i];
            }
            created.put("t", OrtTensors.of(tf, b));
            if (hasCond) {
                long[] labels = new long[b];
                for (int i = 0; i < b; i++) {
                    labels[i] = c.labelOf(i);
                }
                created.put("cond", OrtTensors.longs(labels, b));
            }
            if (hasSteps) {
                float[] n = new float[b];
                Arrays.fill(n, steps);
                created.put(StepCountEmbedding.INPUT, OrtTensors.of(n, b));
            }
            Map<String, OnnxTensor> feed = new HashMap<>(weights);
            feed.putAll(created);
            try (OrtSession.Result r = session.run(feed)) {
                return OrtTensors.toFloatTensor((OnnxTensor) r.get("eps").orElseThrow());
            }
        } catch (OrtException e) {
            throw new IllegalStateException(name + " failed on x " + x.shapeString() + ": " + e.getMessage(), e);
        } finally {
            created.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        weights.values().forEach(OnnxTensor::close);
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close " + name, e);
        }
    }
}
