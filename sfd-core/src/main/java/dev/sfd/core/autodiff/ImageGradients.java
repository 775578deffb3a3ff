package dev.sfd.core.autodiff;

import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gradient rules of the image ops exported UNets use besides Conv: InstanceNormalization (how
 * PyTorch exports GroupNorm before opset 18: reshape to [N, G, -1], normalise, reshape back,
 * affine) and nearest-neighbour Resize with integer scale factors (nn.Upsample, F.interpolate).
 */
final class ImageGradients {

    private static final Set<String> BLOCK_REPEAT_MODES = Set.of("asymmetric", "half_pixel", "pytorch_half_pixel",
            "align_corners", "tf_half_pixel_for_nearest");

    private ImageGradients() {
    }

    static void register(Map<String, GradientRule> rules) {
        rules.put("InstanceNormalization", ImageGradients::instanceNorm);
        rules.put("GroupNormalization", ImageGradients::groupNorm);
        rules.put("Resize", ImageGradients::resize);
    }

    /**
     * y = x̂·s[c] + b[c], x̂ = (x − μ)·r over the spatial axes of each (n, c), r = 1/√(σ² + ε).
     * Computed on x flattened to [N, C, S] (any rank): ds = Σ_{n,s} gy·x̂, db = Σ_{n,s} gy,
     * dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = gy·s.
     */
    private static void instanceNorm(GradContext c) {
        GraphBuilder g = c.g();
        String gy = g.reshape(c.gy(), 0, 0, -1);
        String[] stats = standardise(g, g.reshape(c.in(0), 0, 0, -1), Attrs.getFloat(c.node(), "epsilon", 1e-5f));
        String xhat = stats[0];
        if (c.needs(1)) {
            c.setGrad(1, g.reduceSum(g.mul(gy, xhat), false, 0, 2));
        }
        if (c.needs(2)) {
            c.setGrad(2, g.reduceSum(gy, false, 0, 2));
        }
        if (c.needs(0)) {
            String gh = g.mul(gy, g.unsqueeze(c.in(1), 1));
            c.setGrad(0, g.reshapeLike(normalisedGrad(g, gh, xhat, stats[1]), g.shape(c.in(0))));
        }
    }

    /**
     * GroupNormalization: x̂ over each (n, group) of C/G channels and the spatial axes, then an
     * affine map whose scale and bias are per group in opset 18 (shape [G]) and per channel from
     * opset 21 (shape [C]); which one is read from the model's opset. Same formulas as
     * InstanceNormalization, with the statistics on x reshaped to [N, G, C/G·S]; for per-channel
     * affine ds and db sum gy·x̂ and gy on the [N, C, S] view.
     */
    private static void groupNorm(GradContext c) {
        long groups = c.attr("num_groups", 0);
        if (groups <= 0) {
            throw c.unsupported("attribute num_groups must be a positive integer, got " + groups
                    + " (the node is invalid without it)");
        }
        GraphBuilder g = c.g();
        boolean perChannel = g.opset() >= 21;
        String[] stats = standardise(g, g.reshape(c.in(0), 0, groups, -1), Attrs.getFloat(c.node(), "epsilon", 1e-5f));
        String xhat = stats[0];
        String gy = g.reshape(c.gy(), 0, perChannel ? 0 : groups, -1); // [N, C, S] or [N, G, C/G·S]
        String affineXhat = perChannel ? g.reshapeLike(xhat, g.shape(gy)) : xhat;
        if (c.needs(1)) {
            c.setGrad(1, g.reduceSum(g.mul(gy, affineXhat), false, 0, 2));
        }
        if (c.needs(2)) {
            c.setGrad(2, g.reduceSum(gy, false, 0, 2));
        }
        if (c.needs(0)) {
            String gh = g.mul(gy, g.unsqueeze(c.in(1), 1));
            if (perChannel) {
                gh = g.reshape(gh, 0, groups, -1);
            }
            c.setGrad(0, g.reshapeLike(normalisedGrad(g, gh, xhat, stats[1]), g.shape(c.in(0))));
        }
    }

    /** x̂ and r = 1/√(σ² + ε) of a [N, K, S] tensor, statistics over axis 2. */
    private static String[] standardise(GraphBuilder g, String x, double eps) {
        String centred = g.sub(x, g.reduceMean(x, true, 2));
        String variance = g.reduceMean(g.mul(centred, centred), true, 2);
        String rstd = g.op("Reciprocal", List.of(g.sqrt(g.add(variance, g.scalar(eps)))));
        return new String[] {g.mul(centred, rstd), rstd};
    }

    /** dx = r·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) over axis 2, for ĝ the gradient of x̂. */
    private static String normalisedGrad(GraphBuilder g, String gh, String xhat, String rstd) {
        String meanGh = g.reduceMean(gh, true, 2);
        String meanGhX = g.reduceMean(g.mul(gh, xhat), true, 2);
        return g.mul(rstd, g.sub(g.sub(gh, meanGh), g.mul(xhat, meanGhX)));
    }

    /**
     * Nearest Resize of a rank-4 [N, C, H, W] by integer factors (sh, sw) repeats each pixel in an
     * sh×sw block, so dx = gy reshaped to [N, C, H, sh, W, sw] and summed over the block axes.
     * The factors are read at run time from the shapes of x and y. No gradient flows to the
     * roi/scales/sizes inputs (they are constants of the export).
     */
    private static void resize(GradContext c) {
        String mode = Attrs.getString(c.node(), "mode", "nearest");
        if (!mode.equals("nearest")) {
            throw c.unsupported("only mode=nearest is supported, got mode=" + mode
                    + " (export with F.interpolate(..., mode='nearest'))");
        }
        String transform = Attrs.getString(c.node(), "coordinate_transformation_mode", "half_pixel");
        if (!BLOCK_REPEAT_MODES.contains(transform)) {
            throw c.unsupported("coordinate_transformation_mode=" + transform + " is not supported");
        }
        Integer rank = c.rank(c.in(0));
        if (rank != null && rank != 4) {
            throw c.unsupported("only rank-4 [N, C, H, W] inputs are supported, got rank " + rank);
        }
        if (!c.needs(0)) {
            return;
        }
        GraphBuilder g = c.g();
        String inShape = g.shape(c.in(0));
        String outShape = g.shape(c.out(0));
        String factors = g.div(g.op("Slice", List.of(outShape, g.ints(2), g.ints(4))),
                g.op("Slice", List.of(inShape, g.ints(2), g.ints(4))));
        String blocks = g.concat(0, g.op("Slice", List.of(inShape, g.ints(0), g.ints(3))),
                g.op("Slice", List.of(factors, g.ints(0), g.ints(1))),
                g.op("Slice", List.of(inShape, g.ints(3), g.ints(4))),
                g.op("Slice", List.of(factors, g.ints(1), g.ints(2))));
        c.setGrad(0, g.reduceSum(g.reshapeLike(c.gy(), blocks), false, 3, 5));
    }
}
