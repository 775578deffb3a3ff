package dev.sfd.core.autodiff;

import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gradient rules of ops that move values around without arithmetic. */
final class ShapeGradients {

    private ShapeGradients() {
    }

    static void register(Map<String, GradientRule> rules) {
        // y = reshape(x): dx = reshape(gy, shape(x)); same for Flatten, Squeeze, Unsqueeze
        for (String op : List.of("Reshape", "Flatten", "Squeeze", "Unsqueeze")) {
            rules.put(op, c -> c.setGrad(0, c.g().reshapeLike(c.gy(), c.g().shape(c.in(0)))));
        }
        // y = transpose(x, p): dx = transpose(gy, p⁻¹)
        rules.put("Transpose", c -> {
            long[] perm = Attrs.getInts(c.node(), "perm");
            if (perm == null) {
                c.setGrad(0, c.g().op("Transpose", List.of(c.gy())));
                return;
            }
            long[] inverse = new long[perm.length];
            for (int i = 0; i < perm.length; i++) {
                inverse[(int) perm[i]] = i;
            }
            c.setGrad(0, c.g().transpose(c.gy(), inverse));
        });
        // y = broadcast of x: dx = gy summed over the broadcast axes
        rules.put("Expand", c -> c.setGrad(0, c.unbroadcast(c.gy(), 0)));
        rules.put("Concat", ShapeGradients::concat);
        rules.put("Split", ShapeGradients::split);
        rules.put("Slice", ShapeGradients::slice);
        rules.put("Gather", ShapeGradients::gather);
    }

    /** y = concat(x_1..x_n, axis): dx_i = the i-th piece of gy along axis. */
    private static void concat(GradContext c) {
        GraphBuilder g = c.g();
        long axis = c.attr("axis", 0);
        int n = c.node().getInputCount();
        String[] sizes = new String[n];
        for (int i = 0; i < n; i++) {
            sizes[i] = g.op("Slice", List.of(g.shape(c.in(i)), g.ints(axis), g.ints(axis == -1 ? Long.MAX_VALUE : axis + 1)));
        }
        String[] pieces = g.ops("Split", n, List.of(c.gy(), g.concat(0, sizes)), Attrs.i("axis", axis));
        for (int i = 0; i < n; i++) {
            c.setGrad(i, pieces[i]);
        }
    }

    /** y_1..y_n = split(x, axis): dx = concat(gy_1..gy_n, axis), zeros for outputs without gradient. */
    private static void split(GradContext c) {
        GraphBuilder g = c.g();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < c.node().getOutputCount(); i++) {
            String gi = c.gradOut(i);
            parts.add(gi != null ? gi : c.zerosLike(c.out(i)));
        }
        c.setGrad(0, g.concat(c.attr("axis", 0), parts.toArray(String[]::new)));
    }

    /**
     * y = x[slice]: dx = zeros with gy scattered to the sliced positions. The positions are found
     * by slicing a tensor of flat indices the same way, which covers steps and negative bounds.
     */
    private static void slice(GradContext c) {
        GraphBuilder g = c.g();
        String x = c.in(0);
        String size = g.op("Size", List.of(x));
        String flatIndex = g.op("Range", List.of(g.int64(0), size, g.int64(1)));
        List<String> sliceInputs = new ArrayList<>(c.node().getInputList());
        sliceInputs.set(0, g.reshapeLike(flatIndex, g.shape(x)));
        String picked = g.op("Slice", sliceInputs);
        String zeros = g.filled(g.reshape(size, 1), 0);
        String scattered = g.op("ScatterElements",
                List.of(zeros, g.reshape(picked, -1), g.reshape(c.gy(), -1)), Attrs.i("axis", 0));
        c.setGrad(0, g.reshapeLike(scattered, g.shape(x)));
    }

    /** y = data[indices] along axis 0 (embedding lookup): d data = Σ of gy rows scattered-added to their rows. */
    private static void gather(GradContext c) {
        if (c.attr("axis", 0) != 0) {
            throw c.unsupported("only axis 0 is supported, got axis " + c.attr("axis", 0));
        }
        GraphBuilder g = c.g();
        String indices = g.unsqueeze(c.in(1), -1);
        c.setGrad(0, g.op("ScatterND", List.of(c.zerosLike(c.in(0)), indices, c.gy()), Attrs.s("reduction", "add")));
    }
}
