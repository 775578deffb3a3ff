package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import java.util.Map;

/** Gradient rules of Softmax, LogSoftmax and LayerNormalization. */
final class NormalizationGradients {

    private NormalizationGradients() {
    }

    static void register(Map<String, GradientRule> rules) {
        // y = softmax(x): dx = y·(gy − Σ_axis gy·y)
        rules.put("Softmax", c -> {
            GraphBuilder g = c.g();
            String y = c.out(0);
            String dot = g.reduceSum(g.mul(c.gy(), y), true, c.attr("axis", -1));
            c.setGrad(0, g.mul(y, g.sub(c.gy(), dot)));
        });
        // y = log softmax(x): dx = gy − eʸ·Σ_axis gy
        rules.put("LogSoftmax", c -> {
            GraphBuilder g = c.g();
            String total = g.reduceSum(c.gy(), true, c.attr("axis", -1));
            c.setGrad(0, g.sub(c.gy(), g.mul(g.exp(c.out(0)), total)));
        });
        rules.put("LayerNormalization", NormalizationGradients::layerNorm);
    }

    /**
     * y = x̂·s + b with x̂ = (x − μ)·r, r = 1/√(σ² + ε), μ and σ² over the normalised axes.
     * ds = Σ_rows gy·x̂, db = Σ_rows gy, dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = gy·s.
     * In float32 graphs μ and r are the forward node's optional Mean and InvStdDev outputs (added
     * to it when absent), so the backward pass does not recompute the statistics; those outputs
     * are float32 only (stash_type), so other float types recompute them.
     */
    private static void layerNorm(GradContext c) {
        if (c.gradOut(1) != null || c.gradOut(2) != null) {
            throw c.unsupported("gradients through the Mean/InvStdDev outputs are not supported");
        }
        GraphBuilder g = c.g();
        String x = c.in(0);
        long[] axes = normalisedAxes(c);
        String[] stats = statistics(c, axes);
        String rstd = stats[1];
        String xhat = g.mul(g.sub(x, stats[0]), rstd);
        String gy = c.gy();
        if (c.needs(1)) {
            c.setGrad(1, c.unbroadcast(g.mul(gy, xhat), 1));
        }
        if (c.node().getInputCount() > 2 && !c.in(2).isEmpty() && c.needs(2)) {
            c.setGrad(2, c.unbroadcast(gy, 2));
        }
        if (c.needs(0)) {
            String gh = g.mul(gy, c.in(1));
            String meanGh = g.reduceMean(gh, true, axes);
            String meanGhX = g.reduceMean(g.mul(gh, xhat), true, axes);
            c.setGrad(0, g.mul(rstd, g.sub(g.sub(gh, meanGh), g.mul(xhat, meanGhX))));
        }
    }

    /** μ and r: the forward node's Mean and InvStdDev outputs (float32), or recomputed from x. */
    private static String[] statistics(GradContext c, long[] axes) {
        GraphBuilder g = c.g();
        if (g.floatType() != DataType.FLOAT) {
            String x = c.in(0);
            String mean = g.reduceMean(x, true, axes);
            String centred = g.sub(x, mean);
            String variance = g.reduceMean(g.mul(centred, centred), true, axes);
            double eps = Attrs.getFloat(c.node(), "epsilon", 1e-5f);
            return new String[] {mean, g.op("Reciprocal", List.of(g.sqrt(g.add(variance, g.scalar(eps)))))};
        }
        NodeProto node = c.node();
        if (node.getOutputCount() >= 3 && !node.getOutput(1).isEmpty() && !node.getOutput(2).isEmpty()) {
            return new String[] {node.getOutput(1), node.getOutput(2)};
        }
        String mean = g.fresh(c.out(0) + ".mean");
        String invStd = g.fresh(c.out(0) + ".invstd");
        NodeProto.Builder withStats = node.toBuilder().clearOutput().addOutput(c.out(0)).addOutput(mean)
                .addOutput(invStd);
        g.replaceNode(node, withStats.build());
        return new String[] {mean, invStd};
    }

    /** The axes from the node's axis to the last, as negative indices when the rank is unknown. */
    private static long[] normalisedAxes(GradContext c) {
        long axis = c.attr("axis", -1);
        if (axis >= 0) {
            Integer rank = c.rank(c.in(0));
            if (rank == null) {
                throw c.unsupported("a non-negative axis needs the rank of '" + c.in(0) + "'");
            }
            axis -= rank;
        }
        long[] axes = new long[(int) -axis];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = axis + i;
        }
        return axes;
    }
}
