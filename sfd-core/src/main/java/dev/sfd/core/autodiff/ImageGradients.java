package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gradient rules of the image ops exported UNets use besides Conv: InstanceNormalization (how
 * PyTorch exports GroupNorm before opset 18: reshape to [N, G, -1], normalise, reshape back,
 * affine), single-op GroupNormalization, and Resize (nn.Upsample, F.interpolate: nearest,
 * bilinear, bicubic).
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
     * Resize of a rank-4 [N, C, H, W] over H and W. mode=nearest with the block-repeat coordinate
     * modes and constant integer scales uses {@link #nearestBlocks}; every other case (linear/bilinear, cubic, nearest with
     * other coordinate modes) uses {@link #separable}. No gradient flows to the roi/scales/sizes
     * inputs (they are constants of the export).
     */
    private static void resize(GradContext c) {
        String mode = Attrs.getString(c.node(), "mode", "nearest");
        String transform = Attrs.getString(c.node(), "coordinate_transformation_mode", "half_pixel");
        if (transform.equals("tf_crop_and_resize")) {
            throw c.unsupported("coordinate_transformation_mode=tf_crop_and_resize is not supported"
                    + " (export F.interpolate with align_corners=False or True)");
        }
        if (Attrs.find(c.node(), "axes") != null) {
            throw c.unsupported("the axes attribute is not supported; export scales/sizes for all 4 axes");
        }
        String policy = Attrs.getString(c.node(), "keep_aspect_ratio_policy", "stretch");
        if (!policy.equals("stretch")) {
            throw c.unsupported("keep_aspect_ratio_policy=" + policy + " is not supported (only stretch)");
        }
        Integer rank = c.rank(c.in(0));
        if (rank != null && rank != 4) {
            throw c.unsupported("only rank-4 [N, C, H, W] inputs are supported, got rank " + rank);
        }
        if (!c.needs(0)) {
            return;
        }
        if (mode.equals("nearest") && BLOCK_REPEAT_MODES.contains(transform) && integerScales(c)) {
            nearestBlocks(c);
        } else {
            separable(c);
        }
    }

    /**
     * Nearest Resize by integer factors (sh, sw) repeats each pixel in an sh×sw block, so
     * dx = gy reshaped to [N, C, H, sh, W, sw] and summed over the block axes. The factors are
     * read at run time from the shapes of x and y.
     */
    private static void nearestBlocks(GradContext c) {
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

    /**
     * Resize over H and W is separable and linear in x: y[n, c] = M_h·x[n, c]·M_wᵀ with M_h of shape
     * [H', H] and M_w [W', W], so dx[n, c] = M_hᵀ·gy[n, c]·M_w. The matrices are made at run time by
     * resizing identities with the node's own attributes and scales or sizes along one axis each
     * (an H×H identity laid out as [1, H, H, 1] resized along axis 2 gives M_hᵀ as [1, H, H', 1]),
     * so any coordinate mode, cubic coefficient and antialias setting is reproduced exactly.
     */
    private static void separable(GradContext c) {
        GraphBuilder g = c.g();
        NodeProto node = c.node();
        String x = c.in(0);
        String inShape = g.shape(x);
        String h = g.op("Slice", List.of(inShape, g.ints(2), g.ints(3)));
        String w = g.op("Slice", List.of(inShape, g.ints(3), g.ints(4)));
        String roi = node.getInputCount() > 1 ? c.in(1) : "";
        boolean bySizes = node.getInputCount() > 3 && !c.in(3).isEmpty();
        String byH;
        String byW;
        if (bySizes) {
            String sizes = c.in(3);
            byH = g.concat(0, g.ints(1), h, g.op("Slice", List.of(sizes, g.ints(2), g.ints(3))), g.ints(1));
            byW = g.concat(0, g.ints(1), w, g.ints(1), g.op("Slice", List.of(sizes, g.ints(3), g.ints(4))));
        } else {
            String scales = c.in(2);
            String ones = g.constant(Tensors.floats("", new long[] {3}, new float[] {1, 1, 1}));
            String onesTwo = g.op("Slice", List.of(ones, g.ints(0), g.ints(2)));
            String oneOne = g.op("Slice", List.of(ones, g.ints(0), g.ints(1)));
            byH = g.concat(0, onesTwo, g.op("Slice", List.of(scales, g.ints(2), g.ints(3))), oneOne);
            byW = g.concat(0, ones, g.op("Slice", List.of(scales, g.ints(3), g.ints(4))));
        }
        AttributeProto[] attrs = node.getAttributeList().toArray(AttributeProto[]::new);
        String eyeH = g.unsqueeze(identity(g, h), 0, 3);
        String eyeW = g.unsqueeze(identity(g, w), 0, 2);
        List<String> inH = bySizes ? List.of(eyeH, roi, "", byH) : List.of(eyeH, roi, byH);
        List<String> inW = bySizes ? List.of(eyeW, roi, "", byW) : List.of(eyeW, roi, byW);
        String mhT = g.squeeze(g.op("Resize", inH, attrs), 0, 3);   // [H, H']
        String mwT = g.squeeze(g.op("Resize", inW, attrs), 0, 2);   // [W, W']
        c.setGrad(0, g.matMul(g.matMul(mhT, c.gy()), g.transpose(mwT, 1, 0)));
    }

    /** True if the node's scales input is a constant whose H and W factors are whole numbers. */
    private static boolean integerScales(GradContext c) {
        if (c.node().getInputCount() < 3 || c.in(2).isEmpty()
                || (c.node().getInputCount() > 3 && !c.in(3).isEmpty())) {
            return false;
        }
        TensorProto t = c.g().initializers().get(c.in(2));
        for (NodeProto n : c.g().nodes()) {
            if (t == null && n.getOpType().equals("Constant") && n.getOutput(0).equals(c.in(2))
                    && Attrs.find(n, "value") != null) {
                t = Attrs.find(n, "value").getT();
            }
        }
        if (t == null) {
            return false;
        }
        double[] scales = Tensors.toDoubles(t);
        return scales.length == 4 && scales[2] >= 1 && scales[3] >= 1
                && scales[2] == Math.rint(scales[2]) && scales[3] == Math.rint(scales[3]);
    }

    /** An n×n identity of the graph's float type, n a 1-element int64 value. */
    private static String identity(GraphBuilder g, String n) {
        String square = g.op("ConstantOfShape", List.of(g.concat(0, n, n)));
        return g.op("EyeLike", List.of(square), Attrs.i("dtype", g.floatType().getNumber()));
    }
}
