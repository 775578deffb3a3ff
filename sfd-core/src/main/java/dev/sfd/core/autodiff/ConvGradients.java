package dev.sfd.core.autodiff;

import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import java.util.Map;

/** Gradient rule of 2-D Conv (any group count, explicit pads, any strides and dilations). */
final class ConvGradients {

    private ConvGradients() {
    }

    static void register(Map<String, GradientRule> rules) {
        rules.put("Conv", ConvGradients::conv);
        rules.put("ConvTranspose", ConvGradients::convTranspose);
    }

    /**
     * Y = conv(X, W) + B with stride s, dilation d, pads p.
     * dX = convTranspose(gy, W; s, d, leading pads), cut or zero-padded at the end to X's size;
     * dW = conv(Xᵀ, gyᵀ; stride d, dilation s, pads p)ᵀ cut to W's size (ᵀ swaps axes 0 and 1);
     * dB = Σ_{n,h,w} gy.
     */
    private static void conv(GradContext c) {
        long group = c.attr("group", 1);
        if (!Attrs.getString(c.node(), "auto_pad", "NOTSET").equals("NOTSET")) {
            throw c.unsupported("only explicit pads (auto_pad=NOTSET) are supported");
        }
        Integer rank = c.rank(c.in(0));
        if (rank != null && rank != 4) {
            throw c.unsupported("only 2-D convolutions (rank-4 input) are supported, got rank " + rank);
        }
        GraphBuilder g = c.g();
        long[] strides = orDefault(Attrs.getInts(c.node(), "strides"), 1, 1);
        long[] dilations = orDefault(Attrs.getInts(c.node(), "dilations"), 1, 1);
        long[] pads = orDefault(Attrs.getInts(c.node(), "pads"), 0, 0, 0, 0);
        String x = c.in(0);
        String w = c.in(1);
        String gy = c.gy();
        if (c.needs(0)) {
            // transpose-convolve cropping only the leading pads; then cut positions that fell in
            // the trailing pads and zero-fill inputs no output window reached
            String full = g.op("ConvTranspose", List.of(gy, w), Attrs.ints("strides", strides),
                    Attrs.ints("dilations", dilations), Attrs.ints("pads", pads[0], pads[1], 0, 0),
                    Attrs.i("group", group));
            String size = g.op("Slice", List.of(g.shape(x), g.ints(2), g.ints(4)));
            String cut = g.op("Slice", List.of(full, g.ints(0, 0), size, g.ints(2, 3)));
            String missing = g.sub(g.shape(x), g.shape(cut));
            c.setGrad(0, g.op("Pad", List.of(cut, g.concat(0, g.ints(0, 0, 0, 0), missing))));
        }
        if (c.needs(1)) {
            if (group == 1) {
                c.setGrad(1, weightGrad(g, x, gy, w, strides, dilations, pads));
            } else { // per group: the group-1 rule on that group's input and output channels
                String[] xs = equalSplit(g, x, 1, group);
                String[] gys = equalSplit(g, gy, 1, group);
                String[] ws = equalSplit(g, w, 0, group);
                String[] parts = new String[(int) group];
                for (int i = 0; i < group; i++) {
                    parts[i] = weightGrad(g, xs[i], gys[i], ws[i], strides, dilations, pads);
                }
                c.setGrad(1, g.concat(0, parts));
            }
        }
        if (c.node().getInputCount() > 2 && c.needs(2)) {
            c.setGrad(2, g.reduceSum(gy, false, 0, 2, 3));
        }
    }

    /**
     * Y = convT(X, W) + B (W: [C_in, C_out, k, k], group 1) is the adjoint of Z = conv(Y, W) with the
     * same strides, dilations and pads, so dX = conv(gy, W) and dW is the Conv weight gradient
     * with gy in the role of the input and X in the role of the output gradient; dB = Σ_{n,h,w} gy.
     */
    private static void convTranspose(GradContext c) {
        if (c.attr("group", 1) != 1) {
            throw c.unsupported("only group=1 is supported, got " + c.attr("group", 1));
        }
        if (!Attrs.getString(c.node(), "auto_pad", "NOTSET").equals("NOTSET") || Attrs.getInts(c.node(), "output_shape") != null) {
            throw c.unsupported("only explicit pads are supported (no auto_pad, no output_shape)");
        }
        Integer rank = c.rank(c.in(0));
        if (rank != null && rank != 4) {
            throw c.unsupported("only 2-D transposed convolutions (rank-4 input) are supported, got rank " + rank);
        }
        GraphBuilder g = c.g();
        long[] strides = orDefault(Attrs.getInts(c.node(), "strides"), 1, 1);
        long[] dilations = orDefault(Attrs.getInts(c.node(), "dilations"), 1, 1);
        long[] pads = orDefault(Attrs.getInts(c.node(), "pads"), 0, 0, 0, 0);
        String gy = c.gy();
        if (c.needs(0)) {
            c.setGrad(0, g.op("Conv", List.of(gy, c.in(1)), Attrs.ints("strides", strides),
                    Attrs.ints("dilations", dilations), Attrs.ints("pads", pads)));
        }
        if (c.needs(1)) {
            c.setGrad(1, weightGrad(g, gy, c.in(0), c.in(1), strides, dilations, pads));
        }
        if (c.node().getInputCount() > 2 && c.needs(2)) {
            c.setGrad(2, g.reduceSum(gy, false, 0, 2, 3));
        }
    }

    /** {@code n} equal pieces along {@code axis} (num_outputs from opset 18, implied by the output count before). */
    private static String[] equalSplit(GraphBuilder g, String x, long axis, long n) {
        return g.opset() >= 18
                ? g.ops("Split", (int) n, List.of(x), Attrs.i("axis", axis), Attrs.i("num_outputs", n))
                : g.ops("Split", (int) n, List.of(x), Attrs.i("axis", axis));
    }

    /** dW = conv(Xᵀ, gyᵀ; stride d, dilation s, pads p)ᵀ cut to W's size (group 1). */
    private static String weightGrad(GraphBuilder g, String x, String gy, String w, long[] strides, long[] dilations,
            long[] pads) {
        String full = g.op("Conv", List.of(g.transpose(x, 1, 0, 2, 3), g.transpose(gy, 1, 0, 2, 3)),
                Attrs.ints("strides", dilations), Attrs.ints("dilations", strides), Attrs.ints("pads", pads));
        String kernel = g.op("Slice", List.of(g.shape(w), g.ints(2), g.ints(4)));
        return g.op("Slice", List.of(g.transpose(full, 1, 0, 2, 3), g.ints(0, 0), kernel, g.ints(2, 3)));
    }

    private static long[] orDefault(long[] v, long... fallback) {
        return v == null ? fallback : v;
    }
}
