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
    private final RowSums rowSums;

    GradContext(GraphBuilder g, ShapeInfo shapes, NodeProto node, List<String> outputGrads, boolean[] needs,
            RowSums rowSums) {
        this.g = g;
        this.rowSums = rowSums;
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
     */
    public String unbroadcast(String grad, int i) {
        return unbroadcast(grad, i, shapes.probeShape(out(0)));
    }

    /**
     * As {@link #unbroadcast(String, int)} for a gradient whose (probe) shape is {@code gradShape}.
     * When the shapes are known (symbolic dims included, see {@link ShapeInfo#probeShape}) the
     * axes are fixed at build time, and nothing is emitted when there is nothing to sum;
     * otherwise they are computed at run time from Shape ops.
     */
    public String unbroadcast(String grad, int i, long[] gradShape) {
        long[] axes = broadcastAxes(shapes.probeShape(in(i)), gradShape);
        if (axes != null) {
            if (axes.length == 0) {
                return grad;
            }
            String rows = leadingRowSum(grad, axes, gradShape, shapes.shape(in(i)));
            if (rows != null) {
                return rows;
            }
            String summed = g.reduceSum(grad, true, axes);
            int lead = gradShape.length - shapes.probeShape(in(i)).length;
            if (lead == 0) {
                return summed;
            }
            long[] leading = new long[lead];
            for (int a = 0; a < lead; a++) {
                leading[a] = a;
            }
            return g.squeeze(summed, leading);
        }
        return unbroadcastAtRunTime(grad, in(i));
    }

    /**
     * When {@code axes} are exactly the leading axes 0…m−1 and the rest of {@code gradShape} is the
     * static trailing shape of x (a bias-like gradient), the sum as a row product ({@link RowSums});
     * otherwise null.
     */
    private String leadingRowSum(String grad, long[] axes, long[] gradShape, long[] xStatic) {
        int m = axes.length;
        if (xStatic == null || m >= gradShape.length) {
            return null;
        }
        long probeRows = 1;
        for (int a = 0; a < m; a++) {
            if (axes[a] != a) {
                return null;
            }
            probeRows *= gradShape[a];
        }
        long columns = 1;
        for (int j = m; j < gradShape.length; j++) {
            int xj = xStatic.length - (gradShape.length - j);
            if (xj < 0 || xStatic[xj] != gradShape[j]) {
                return null;
            }
            columns *= gradShape[j];
        }
        return rowSums.sum(grad, m, probeRows, columns, xStatic);
    }

    /** Axes to sum to get from {@code grad} dims to {@code x} dims, or null when unknown or inconsistent. */
    private static long[] broadcastAxes(long[] x, long[] grad) {
        if (x == null || grad == null || grad.length < x.length) {
            return null;
        }
        int lead = grad.length - x.length;
        List<Long> axes = new ArrayList<>();
        for (int a = 0; a < grad.length; a++) {
            if (a < lead) {
                axes.add((long) a);
            } else if (x[a - lead] != grad[a]) {
                if (x[a - lead] != 1) {
                    return null;
                }
                axes.add((long) a);
            }
        }
        return axes.stream().mapToLong(Long::longValue).toArray();
    }

    /** Runtime version: axes where Shape(x), left-padded with ones, differs from Shape(grad). */
    private String unbroadcastAtRunTime(String grad, String x) {
        Integer xr = shapes.rank(x);
        Integer gr = shapes.rank(out(0));
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

    /** Probe shape (see {@link ShapeInfo#probeShape}) of a forward value, or null. */
    public long[] probeShape(String value) {
        return shapes.probeShape(value);
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
