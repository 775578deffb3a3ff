package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.NodeProto;
import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.ShapeInfo;
import dev.sfd.core.onnx.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * What a {@link GradientRule} sees while differentiating one node: the node, the gradients of its
 * outputs, which inputs need a gradient, and the builder to emit backward ops into. Also the
 * shared helper that sums a broadcast gradient back to an input's shape.
 */
public final class GradContext {

    private final GraphBuilder g;
    private final ShapeInfo shapes;
    private final NodeProto node;
    private final List<String> outputGrads;
    private final boolean[] needs;
    private final String[] inputGrads;

    GradContext(GraphBuilder g, ShapeInfo shapes, NodeProto node, List<String> outputGrads, boolean[] needs) {
        this.g = g;
        this.shapes = shapes;
        this.node = node;
        this.outputGrads = outputGrads;
        this.needs = needs;
        this.inputGrads = new String[node.getInputCount()];
    }

    public GraphBuilder g() {
        return g;
    }

    public NodeProto node() {
        return node;
    }

    public String in(int i) {
        return node.getInput(i);
    }

    public String out(int i) {
        return node.getOutput(i);
    }

    /** Gradient of output i, or null when no gradient flows into it. */
    public String gradOut(int i) {
        return i < outputGrads.size() ? outputGrads.get(i) : null;
    }

    /** Gradient of output 0 (must exist: the node would not be visited otherwise). */
    public String gy() {
        return gradOut(0);
    }

    /** True if input i lies on a path from a parameter (and so needs a gradient). */
    public boolean needs(int i) {
        return i < needs.length && needs[i];
    }

    /** Sets the gradient contribution of input i (ignored when the input needs none). */
    public void setGrad(int i, String grad) {
        if (needs(i)) {
            inputGrads[i] = grad;
        }
    }

    String[] inputGrads() {
        return inputGrads;
    }

    public Integer rank(String value) {
        return shapes.rank(value);
    }

    public long[] intConstant(String value) {
        return shapes.intConstant(value);
    }

    public long attr(String name, long fallback) {
        return Attrs.getInt(node, name, fallback);
    }

    /** An error naming this node, for inputs or attributes a rule cannot handle. */
    public UnsupportedOpException unsupported(String detail) {
        return new UnsupportedOpException(node.getOpType(), node.getName(), detail);
    }

    /** Zeros shaped like {@code like}, of the graph's float type. */
    public String zerosLike(String like) {
        return g.zerosLike(like);
    }

    /**
     * Sums {@code grad} (shaped like output 0, i.e. the broadcast result) back to the shape of
     * input i: over leading axes the input lacks and over axes where the input has size 1.
     * Static shapes skip the runtime arithmetic; otherwise the axes come from Shape ops.
     */
    public String unbroadcast(String grad, int i) {
        String x = in(i);
        long[] xs = shapes.shape(x);
        Integer gr = shapes.rank(out(0));
        if (xs != null && gr != null) {
            List<Long> axes = new ArrayList<>();
            int lead = gr - xs.length;
            for (int a = 0; a < lead; a++) {
                axes.add((long) a);
            }
            for (int a = 0; a < xs.length; a++) {
                if (xs[a] == 1) {
                    axes.add((long) (lead + a));
                }
            }
            if (axes.isEmpty()) {
                return grad;
            }
            long[] ax = axes.stream().mapToLong(Long::longValue).toArray();
            String summed = g.reduceSum(grad, true, ax);
            return lead == 0 ? summed : g.reshape(summed, xs.length == 0 ? new long[0] : xs);
        }
        Integer xr = shapes.rank(x);
        String sx = g.shape(x);
        String sg = g.shape(grad);
        String padded = sx;
        if (xr == null || gr == null || !xr.equals(gr)) {
            String missing = g.sub(g.shape(sg), g.shape(sx));
            String ones = g.op("ConstantOfShape", List.of(missing),
                    Attrs.tensor("value", Tensors.longs("", new long[] {1}, new long[] {1})));
            padded = g.concat(0, ones, sx);
        }
        String differs = g.op("Not", List.of(g.op("Equal", List.of(padded, sg))));
        String axes = g.reshape(g.op("NonZero", List.of(differs)), -1);
        String summed = g.op("ReduceSum", List.of(grad, axes), Attrs.i("keepdims", 1), Attrs.i("noop_with_empty_axes", 1));
        return g.reshapeLike(summed, sx);
    }

    /**
     * Axes of a Reduce*-style node as a value name: input 1 (newer opsets) or the "axes" attribute
     * as a constant; null when the node reduces over all axes.
     */
    public String reduceAxes() {
        if (node.getInputCount() > 1 && !in(1).isEmpty()) {
            if (attr("noop_with_empty_axes", 0) == 1) {
                long[] axes = intConstant(in(1));
                if (axes == null || axes.length == 0) {
                    throw unsupported("noop_with_empty_axes=1 needs constant, non-empty axes");
                }
            }
            return in(1);
        }
        long[] axes = Attrs.getInts(node, "axes");
        return axes == null ? null : g.ints(axes);
    }
}
