package dev.sfd.core.autodiff;

import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import java.util.Map;

/** Gradient rules of ReduceSum and ReduceMean (axes as input or attribute, with or without keepdims). */
final class ReductionGradients {

    private ReductionGradients() {
    }

    static void register(Map<String, GradientRule> rules) {
        // y = Σ_axes x: dx = gy broadcast back over the reduced axes
        rules.put("ReduceSum", c -> c.setGrad(0, spread(c)));
        // y = mean_axes x: dx = gy broadcast back / (|x| / |y|)
        rules.put("ReduceMean", c -> {
            GraphBuilder g = c.g();
            String count = g.div(g.op("Size", List.of(c.in(0))), g.op("Size", List.of(c.out(0))));
            c.setGrad(0, g.div(spread(c), g.cast(count, g.floatType())));
        });
    }

    /** gy with the reduced axes restored (when keepdims=0) and expanded to x's shape. */
    private static String spread(GradContext c) {
        GraphBuilder g = c.g();
        String gy = c.gy();
        String axes = c.reduceAxes();
        if (c.attr("keepdims", 1) == 0 && axes != null) {
            gy = g.op("Unsqueeze", List.of(gy, axes));
        }
        return g.expand(gy, g.shape(c.in(0)));
    }
}
