package dev.sfd.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import dev.sfd.core.onnx.Tensors;
import dev.sfd.core.tensor.FloatTensor;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same network and training step in DJL's PyTorch engine: the forward pass written with
 * NDArray ops (same parameters, same initial values), autograd backward, the same non-finite
 * guard, DJL's Adam. Each step runs inside an {@link NDScope} so its temporaries are freed.
 */
final class DjlPyTorchStep implements AutoCloseable {

    private final BenchConfig c;
    private final NDManager manager;
    private final Map<String, NDArray> params = new LinkedHashMap<>();
    private final Adam adam;
    private final NDArray freqs;

    DjlPyTorchStep(BenchConfig c, Map<String, ai.onnx.proto.OnnxMl.TensorProto> initial) {
        this.c = c;
        this.manager = NDManager.newBaseManager("PyTorch");
        initial.forEach((name, t) -> {
            long[] dims = Tensors.dims(t);
            NDArray p = manager.create(Tensors.toFloats(t), new Shape(dims));
            p.setRequiresGradient(true);
            params.put(name, p);
        });
        adam = Adam.builder().optLearningRateTracker(Tracker.fixed(1e-4f)).optBeta1(0.9f).optBeta2(0.999f)
                .optEpsilon(1e-8f).build();
        int half = 32;
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
    float step(FloatTensor x, FloatTensor t, FloatTensor target, boolean scoped) {
        NDScope scope = scoped ? new NDScope() : null;
        try {
            NDArray xs = manager.create(x.data(), new Shape(x.shape()));
            NDArray ts = manager.create(t.data(), new Shape(t.shape()));
            NDArray ys = manager.create(target.data(), new Shape(target.shape()));
            float lossValue;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray loss = forward(xs, ts).sub(ys).square().sum().div(c.batch());
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

    private NDArray forward(NDArray x, NDArray t) {
        int grid = c.size() / c.patch();
        int tokens = grid * grid;
        int patchDim = c.channels() * c.patch() * c.patch();
        NDArray p = x.reshape(-1, c.channels(), grid, c.patch(), grid, c.patch()).transpose(0, 2, 4, 1, 3, 5)
                .reshape(-1, tokens, patchDim);
        NDArray h = linear(p, "patch").add(params.get("pos"));
        NDArray args = t.expandDims(1).mul(freqs);
        NDArray temb = args.cos().concat(args.sin(), 1);
        NDArray cond = linear(silu(linear(temb, "temb.fc1")), "temb.fc2");
        for (int b = 0; b < c.depth(); b++) {
            String n = "block" + b;
            h = h.add(linear(cond, n + ".cond").expandDims(1));
            h = h.add(attention(layerNorm(h, n + ".norm1"), n + ".attn"));
            h = h.add(linear(Activation.gelu(linear(layerNorm(h, n + ".norm2"), n + ".fc1")), n + ".fc2"));
        }
        NDArray out = linear(layerNorm(h, "out.norm"), "unpatch");
        return out.reshape(-1, grid, grid, c.channels(), c.patch(), c.patch()).transpose(0, 3, 1, 4, 2, 5)
                .reshape(-1, c.channels(), c.size(), c.size());
    }

    private NDArray attention(NDArray x, String name) {
        int headDim = c.dim() / c.heads();
        NDArray q = heads(linear(x, name + ".q"));
        NDArray k = heads(linear(x, name + ".k"));
        NDArray v = heads(linear(x, name + ".v"));
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).mul(1 / Math.sqrt(headDim));
        NDArray mixed = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(x.getShape());
        return linear(mixed, name + ".out");
    }

    private NDArray heads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), c.heads(), c.dim() / c.heads()).transpose(0, 2, 1, 3);
    }

    private NDArray linear(NDArray x, String name) {
        return x.matMul(params.get(name + ".weight")).add(params.get(name + ".bias"));
    }

    private NDArray layerNorm(NDArray x, String name) {
        return LayerNorm.layerNorm(x, new Shape(c.dim()), params.get(name + ".scale"), params.get(name + ".bias"), 1e-5f)
                .singletonOrThrow();
    }

    private static NDArray silu(NDArray x) {
        return x.mul(Activation.sigmoid(x));
    }

    @Override
    public void close() {
        manager.close();
    }
}
