package dev.sfd.core.distill.baselines;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.distill.StudentNetwork;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The target network ψ⁻ of consistency distillation: an exponential moving average of the
 * student's trainable weights, ψ⁻ ← μ·ψ⁻ + (1 − μ)·ψ after every Adam step (μ = 0: the student
 * itself, with stop-gradient), served from an ONNX Runtime session that is rebuilt from the
 * averaged weights every {@code every} updates. It starts equal to the student.
 */
final class TargetNetwork implements AutoCloseable {

    private final OnnxModel student;
    private final double mu;
    private final int every;
    private final SessionConfig session;
    private final Map<String, float[]> ema = new LinkedHashMap<>();
    private StudentNetwork network;
    private long updates;
    private long rebuilds;

    TargetNetwork(OnnxModel student, double mu, int every, SessionConfig session) {
        this.student = student;
        this.mu = mu;
        this.every = every;
        this.session = session;
        this.network = new StudentNetwork(student, session);
    }

    /** ε_{ψ⁻}(·, ·, ·, N) as a noise model. */
    NoiseModel atSteps(int steps) {
        return network.atSteps(steps);
    }

    /** Folds the student's current weights into the average; rebuilds the session every {@code every} calls. */
    void update(Map<String, FloatTensor> current) {
        current.forEach((name, value) -> {
            float[] v = value.data();
            float[] avg = ema.get(name);
            if (avg == null) { // the first update: ψ⁻ was the initial student, equal to the weights before step 1
                ema.put(name, initial(name, v));
                avg = ema.get(name);
            }
            for (int i = 0; i < v.length; i++) {
                avg[i] = (float) (mu * avg[i] + (1 - mu) * v[i]);
            }
        });
        if (++updates % every == 0) {
            network.close();
            network = new StudentNetwork(student.withParameterValues(ema), session);
            rebuilds++;
        }
    }

    /** Sessions built from averaged weights so far. */
    long rebuilds() {
        return rebuilds;
    }

    private float[] initial(String name, float[] fallback) {
        var t = student.parameters().get(name);
        return t == null ? fallback.clone() : dev.sfd.core.onnx.Tensors.toFloats(t);
    }

    @Override
    public void close() {
        network.close();
    }
}
