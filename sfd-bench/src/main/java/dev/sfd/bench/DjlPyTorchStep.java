package dev.sfd.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import dev.sfd.bench.OnnxRuntimeStep.StepInputs;
import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.teachers.EdmPreconditioning;
import dev.sfd.core.teachers.ShapesLabels;
import dev.sfd.core.teachers.TeacherRecipe;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same network and training step in DJL's PyTorch engine: the shapes teacher's forward pass
 * (EDM preconditioning, time and label embeddings, adaLN-Zero DiT blocks with SiLU MLPs) written
 * with NDArray ops on the same parameters and initial values, the same weighted ε loss, autograd
 * backward, the same non-finite guard, DJL's Adam. Each step runs inside an {@link NDScope} so its
 * temporaries are freed.
 */
final class DjlPyTorchStep implements AutoCloseable {

    private final TeacherRecipe.Architecture a;
    private final double sigmaData;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Adam adam;
    private final NDArray freqs;

    DjlPyTorchStep(BenchConfig c, Map<String, ai.onnx.proto.OnnxMl.TensorProto> initial) {
        this.a = c.recipe().architecture();
        if (!a.activation().equals("silu") || !a.kind().equals("dit-adaln")) {
            throw new IllegalArgumentException("the PyTorch mirror implements dit-adaln with SiLU MLPs, not " + a);
        }
        this.sigmaData = c.recipe().sigmaData();
        this.manager = NDManager.newBaseManager("PyTorch");
        initial.forEach((name, t) -> {
            NDArray p = manager.create(Tensors.toFloats(t), new Shape(Tensors.dims(t)));
            p.setRequiresGradient(true);
            params.put(name, p);
        });
        adam = Adam.builder().optLearningRateTracker(Tracker.fixed((float) c.recipe().learningRate())).optBeta1(0.9f)
                .optBeta2(0.999f).optEpsilon(1e-8f).build();
        int half = a.timeFeatures() / 2;
        float[] f = new float[half];
        for (int k = 0; k < half; k++) {
            f[k] = (float) Math.exp(-Math.log(1000) * k / half);
        }
        freqs = manager.create(f, new Shape(1, half));
    }

    /**
     * One step. {@code scoped=false} is used once, for the first step: DJL's Adam creates its
     * moment arrays lazily inside update(), and they must not belong to a step's scope.
     */
    float step(StepInputs in, boolean scoped) {
        NDScope scope = scoped ? new NDScope() : null;
        try {
            NDArray x = manager.create(in.x().data(), new Shape(in.x().shape()));
            NDArray t = manager.create(in.t().data(), new Shape(in.t().shape()));
            NDArray cond = manager.create(in.cond());
            NDArray target = manager.create(in.target().data(), new Shape(in.target().shape()));
            NDArray weight = manager.create(in.weight().data(), new Shape(in.weight().shape()));
            float lossValue;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                // mean over the batch of λ_b·Σ_i (ε_θ − ε)²
                NDArray loss = epsilon(x, t, cond).sub(target).square().sum(new int[] {1, 2, 3}).mul(weight).mean();
                gc.backward(loss);
                lossValue = loss.getFloat();
            }
            for (var e : params.entrySet()) {
                NDArray grad = e.getValue().getGradient();
                NDArray finite = NDArrays.where(grad.isNaN().logicalOr(grad.isInfinite()), grad.zerosLike(), grad);
                adam.update(e.getKey(), e.getValue(), finite);
                grad.muli(0);
            }
            return lossValue;
        } finally {
            if (scope != null) {
                scope.close();
            }
        }
    }

    /** EDM preconditioning: ε = t/(t²+σ_d²)·x − σ_d/√(t²+σ_d²)·F(c_in·x, c_noise). */
    private NDArray epsilon(NDArray x, NDArray t, NDArray cond) {
        NDArray s2 = t.square().add(sigmaData * sigmaData);
        NDArray cIn = s2.sqrt().pow(-1);
        NDArray cNoise = t.log().mul(0.25);
        NDArray f = network(x.mul(perSample(cIn)), cNoise, cond);
        return perSample(t.div(s2)).mul(x).sub(perSample(cIn.mul(sigmaData)).mul(f));
    }

    private NDArray network(NDArray x, NDArray cNoise, NDArray cond) {
        int channels = ShapesDataset.CHANNELS;
        int size = ShapesDataset.SIZE;
        int p = a.patch();
        int grid = size / p;
        NDArray args = cNoise.mul(EdmPreconditioning.NOISE_FEATURE_SCALE).expandDims(1).mul(freqs);
        NDArray temb = linear(silu(linear(args.cos().concat(args.sin(), 1), "temb.fc1")), "temb.fc2");
        NDArray index = NDArrays.where(cond.lt(0), cond.zerosLike().add(ShapesLabels.CLASSES), cond);
        NDArray c = silu(temb.add(params.get("label.table").get(index)));
        NDArray h = x.reshape(-1, channels, grid, p, grid, p).transpose(0, 2, 4, 1, 3, 5)
                .reshape(-1, (long) grid * grid, (long) channels * p * p);
        h = linear(h, "patch").add(params.get("pos"));
        for (int b = 0; b < a.depth(); b++) {
            String n = "block" + b;
            NDList m = linear(c, n + ".adaln").expandDims(1).split(6, 2);
            h = h.add(m.get(2).mul(attention(modulate(layerNorm(h, n + ".norm1"), m.get(0), m.get(1)), n + ".attn")));
            NDArray hidden = linear(modulate(layerNorm(h, n + ".norm2"), m.get(3), m.get(4)), n + ".fc1");
            h = h.add(m.get(5).mul(linear(silu(hidden), n + ".fc2")));
        }
        NDList m = linear(c, "out.adaln").expandDims(1).split(2, 2);
        NDArray out = linear(modulate(layerNorm(h, "out.norm"), m.get(0), m.get(1)), "unpatch");
        return out.reshape(-1, grid, grid, channels, p, p).transpose(0, 3, 1, 4, 2, 5).reshape(-1, channels, size, size);
    }

    private NDArray attention(NDArray x, String name) {
        int headDim = a.width() / a.heads();
        NDArray q = heads(linear(x, name + ".q"));
        NDArray k = heads(linear(x, name + ".k"));
        NDArray v = heads(linear(x, name + ".v"));
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1 / Math.sqrt(headDim));
        NDArray mixed = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(x.getShape());
        return linear(mixed, name + ".out");
    }

    private NDArray heads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), a.heads(), a.width() / a.heads()).transpose(0, 2, 1, 3);
    }

    /** LN(x)·(1 + scale) + shift. */
    private static NDArray modulate(NDArray normed, NDArray shift, NDArray scale) {
        return normed.mul(scale.add(1)).add(shift);
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(params.get(name + ".weight")).add(params.get(name + ".bias"));
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(a.width()), params.get(name + ".scale"), params.get(name + ".bias"),
                1e-5f).singletonOrThrow();
    }

    /** [B] → [B, 1, 1, 1]. */
    private static NDArray perSample(NDArray v) {
        return v.reshape(-1, 1, 1, 1);
    }

    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    @Override
    public void close() {
        manager.close();
    }
}
