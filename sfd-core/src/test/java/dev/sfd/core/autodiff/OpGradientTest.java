package dev.sfd.core.autodiff;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every gradient rule against central finite differences (float64 graphs unless ORT lacks the op). */
class OpGradientTest {

    @AfterAll
    static void report() {
        GradCase.ERRORS.forEach((k, v) -> System.out.printf("FD %-28s max rel error %.2e%n", k, v));
        System.out.printf("FD max over %d cases: %.2e%n", GradCase.ERRORS.size(),
                GradCase.ERRORS.values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    // ------------------------------------------------------------ broadcasting arithmetic

    @Test
    void addSubMulDivWithStaticBroadcasting() throws Exception {
        GradCase c = new GradCase("arith_static_broadcast");
        GraphBuilder g = c.g;
        String a = c.in("a", 2, 3, 4);
        String b = c.in("b", 4);
        String d = c.in("d", 2, 1, 4);
        String e = c.inRange("e", 0.5, 2, 3, 1);
        c.check(g.div(g.mul(g.sub(g.add(a, b), d), e), e));
    }

    @Test
    void addSubMulDivWithRuntimeBroadcasting() throws Exception {
        GradCase c = new GradCase("arith_dynamic_broadcast");
        GraphBuilder g = c.g;
        String a = c.dyn("a", 2, 3, 4);
        String b = c.dyn("b", 4);
        String d = c.dyn("d", 2, 1, 4);
        String e = c.inRange("e", 0.5, 2, 3, 1);
        c.check(g.div(g.sub(g.mul(g.add(a, b), d), e), g.add(e, b)));
    }

    @Test
    void sumAndWhere() throws Exception {
        GradCase c = new GradCase("sum_where");
        GraphBuilder g = c.g;
        String a = c.in("a", 3, 4);
        String b = c.in("b", 4);
        String s = g.op("Sum", List.of(a, b, a));
        String cond = g.op("Greater", List.of(a, g.scalar(0)));
        c.check(g.where(cond, s, g.mul(b, b)));
    }

    // ------------------------------------------------------------ unary

    @Test
    void unaryOps() throws Exception {
        unary("neg", (g, x) -> g.neg(x), -1, 1);
        unary("relu", (g, x) -> g.relu(x), -1, 1);
        unary("sigmoid", (g, x) -> g.sigmoid(x), -2, 2);
        unary("tanh", (g, x) -> g.tanh(x), -2, 2);
        unary("silu", (g, x) -> g.silu(x), -2, 2);
        unary("gelu_tanh", (g, x) -> g.gelu(x), -2, 2);
        unary("exp", (g, x) -> g.exp(x), -1, 1);
        unary("log", (g, x) -> g.log(x), 0.5, 2);
        unary("sqrt", (g, x) -> g.sqrt(x), 0.5, 2);
        unary("pow3", (g, x) -> g.pow(x, 3), -1, 1);
        unary("pow2.5", (g, x) -> g.pow(x, 2.5), 0.5, 2);
        unary("abs", (g, x) -> g.abs(x), -1, 1);
        unary("reciprocal", (g, x) -> g.op("Reciprocal", List.of(x)), 0.5, 2);
        unary("identity", (g, x) -> g.identity(x), -1, 1);
    }

    @Test
    void erfAndGeluErfInFloat32() throws Exception {
        GradCase c = new GradCase("gelu_erf_float32", DataType.FLOAT);
        String x = c.inRange("x", -2, 2, 3, 5);
        c.check(c.g.add(c.g.geluErf(x), c.g.erf(c.g.scale(x, 0.8))));
    }

    @Test
    void castBetweenFloatTypes() throws Exception {
        GradCase c = new GradCase("cast_float_double_float", DataType.FLOAT);
        String x = c.in("x", 3, 5);
        c.check(c.g.cast(c.g.mul(c.g.cast(x, DataType.DOUBLE), c.g.cast(x, DataType.DOUBLE)), DataType.FLOAT));
    }

    @Test
    void sinCosInFloat32() throws Exception {
        // ONNX Runtime's CPU provider has Cos only for float32
        GradCase c = new GradCase("sin_cos_float32", DataType.FLOAT);
        String x = c.inRange("x", -2, 2, 3, 5);
        c.check(c.g.add(c.g.sin(x), c.g.cos(c.g.scale(x, 0.7))));
    }

    @Test
    void powWithTensorExponent() throws Exception {
        GradCase c = new GradCase("pow_tensor_exponent");
        String x = c.inRange("x", 0.5, 2, 3, 4);
        String p = c.inRange("p", 1, 3, 4);
        c.check(c.g.op("Pow", List.of(x, p)));
    }

    private void unary(String name, Op op, double lo, double hi) throws Exception {
        GradCase c = new GradCase(name);
        String x = c.inRange("x", lo, hi, 3, 5);
        c.check(op.apply(c.g, x));
    }

    private interface Op {
        String apply(GraphBuilder g, String x);
    }

    // ------------------------------------------------------------ linear algebra

    @Test
    void matMul2d() throws Exception {
        GradCase c = new GradCase("matmul_2d");
        c.check(c.g.matMul(c.in("a", 3, 4), c.in("b", 4, 5)));
    }

    @Test
    void matMulBatchedTimesSharedWeight() throws Exception {
        GradCase c = new GradCase("matmul_3d_x_2d");
        c.check(c.g.matMul(c.dyn("a", 2, 3, 4), c.param("w", 4, 5)));
    }

    @Test
    void matMulBatchedBothSides() throws Exception {
        GradCase c = new GradCase("matmul_4d_x_4d");
        c.check(c.g.matMul(c.in("a", 2, 2, 3, 4), c.in("b", 2, 2, 4, 3)));
    }

    @Test
    void matMulBroadcastBatch() throws Exception {
        GradCase c = new GradCase("matmul_broadcast_batch");
        c.check(c.g.matMul(c.dyn("a", 1, 3, 4), c.in("b", 2, 4, 5)));
    }

    @Test
    void gemmAllTransposes() throws Exception {
        for (int ta = 0; ta < 2; ta++) {
            for (int tb = 0; tb < 2; tb++) {
                GradCase c = new GradCase("gemm_t" + ta + tb);
                String a = ta == 1 ? c.in("a", 4, 3) : c.in("a", 3, 4);
                String b = tb == 1 ? c.in("b", 5, 4) : c.in("b", 4, 5);
                String bias = c.in("c", 5);
                c.check(c.g.op("Gemm", List.of(a, b, bias), Attrs.i("transA", ta), Attrs.i("transB", tb),
                        Attrs.f("alpha", 0.7), Attrs.f("beta", 1.5)));
            }
        }
    }

    // ------------------------------------------------------------ reductions

    @Test
    void reductions() throws Exception {
        GradCase c = new GradCase("reduce_sum_mean");
        GraphBuilder g = c.g;
        String x = c.in("x", 2, 3, 4);
        String a = g.reduceSum(x, false, 1);
        String b = g.reduceMean(x, true, 1, 0);
        String all = g.reduceMean(x, false);
        c.check(g.add(g.add(a, g.squeeze(b, 0)), all));
    }

    // ------------------------------------------------------------ shapes

    @Test
    void reshapeTransposeUnsqueezeSqueezeExpand() throws Exception {
        GradCase c = new GradCase("shape_ops");
        GraphBuilder g = c.g;
        String x = c.in("x", 2, 3, 4);
        String t = g.transpose(g.reshape(x, 4, 6), 1, 0);
        String u = g.squeeze(g.unsqueeze(t, 0, 2), 0);
        String e = g.expand(c.in("b", 1, 4), g.ints(6, 1, 4));
        c.check(g.add(g.reshape(u, 6, 4), g.reshape(e, 6, 4)));
    }

    @Test
    void concatSliceSplit() throws Exception {
        GradCase c = new GradCase("concat_slice_split");
        GraphBuilder g = c.g;
        String a = c.in("a", 2, 3);
        String b = c.in("b", 2, 5);
        String cat = g.concat(-1, a, b, a);
        String sl = g.op("Slice", List.of(cat, g.ints(-1, 1), g.ints(-100, 10), g.ints(1, 0), g.ints(-2, 1)));
        String[] parts = g.split(b, 1, 2, 3);
        c.check(g.add(g.reduceSum(sl, true, 1), g.concat(1, parts[1], parts[1])));
    }

    @Test
    void gatherEmbeddingWithRepeatedIndices() throws Exception {
        GradCase c = new GradCase("gather_embedding");
        String table = c.param("table", 5, 3);
        String idx = c.ints("idx", new long[] {2, 2}, new long[] {1, 3, 1, 4});
        c.check(c.g.gather(table, idx));
    }

    // ------------------------------------------------------------ normalisation

    @Test
    void softmaxAndLogSoftmax() throws Exception {
        GradCase c = new GradCase("softmax_logsoftmax");
        GraphBuilder g = c.g;
        String x = c.in("x", 2, 3, 4);
        c.check(g.add(g.softmax(x, -1), g.op("LogSoftmax", List.of(x), Attrs.i("axis", 1))));
    }

    @Test
    void layerNormalization() throws Exception {
        GradCase c = new GradCase("layer_norm");
        String x = c.dyn("x", 2, 3, 4);
        c.check(c.g.layerNorm(x, c.param("scale", 4), c.param("bias", 4), 1e-5));
    }

    /** Float32 graphs reuse the forward node's Mean/InvStdDev outputs in the backward pass. */
    @Test
    void layerNormalizationInFloat32ReusesForwardStatistics() throws Exception {
        GradCase c = new GradCase("layer_norm_float32", DataType.FLOAT);
        String x = c.inRange("x", -2, 2, 2, 3, 8);
        c.check(c.g.add(c.g.layerNorm(x, c.param("scale", 8), c.param("bias", 8), 1e-5),
                c.g.op("LayerNormalization", List.of(x, c.param("scale2", 3, 8), c.param("bias2", 3, 8)),
                        Attrs.i("axis", 1), Attrs.f("epsilon", 1e-5))));
    }

    @Test
    void layerNormalizationOverTwoAxes() throws Exception {
        GradCase c = new GradCase("layer_norm_axis1");
        String x = c.in("x", 2, 3, 4);
        c.check(c.g.op("LayerNormalization", List.of(x, c.param("scale", 3, 4), c.param("bias", 3, 4)),
                Attrs.i("axis", 1), Attrs.f("epsilon", 1e-5)));
    }

    @Test
    void groupNormDecomposition() throws Exception {
        GradCase c = new GradCase("group_norm");
        String x = c.in("x", 2, 4, 3, 3);
        c.check(c.g.groupNorm(x, c.param("scale", 4), c.param("bias", 4), 2, 1e-5, 4, 1, 1));
    }

    // ------------------------------------------------------------ convolution (ORT's Conv is float32 only)

    @Test
    void conv2dStridedPaddedDilated() throws Exception {
        int[][] configs = {{1, 1, 1}, {2, 1, 1}, {2, 1, 0}, {1, 2, 2}, {3, 1, 1}};
        for (int[] cfg : configs) {
            long s = cfg[0];
            long d = cfg[1];
            long p = cfg[2];
            GradCase c = new GradCase("conv2d_s" + s + "_d" + d + "_p" + p, DataType.FLOAT);
            String x = c.in("x", 2, 3, 7, 6);
            String w = c.in("w", 4, 3, 3, 3);
            String b = c.in("b", 4);
            c.check(c.g.op("Conv", List.of(x, w, b), Attrs.ints("strides", s, s), Attrs.ints("dilations", d, d),
                    Attrs.ints("pads", p, p, p + (s > 1 ? 1 : 0), p)));
        }
    }


    /** Grouped and depthwise convolutions (ConvTranspose with group for dX, per-group weight gradients). */
    @Test
    void conv2dGrouped() throws Exception {
        for (long[] cfg : new long[][] {{2, 1, 1}, {4, 2, 1}, {4, 1, 0}}) {
            long groups = cfg[0];
            GradCase c = new GradCase("conv2d_g" + groups + "_s" + cfg[1] + "_p" + cfg[2], DataType.FLOAT);
            String x = c.in("x", 2, 4, 6, 5);
            String w = c.in("w", 4, 4 / groups, 3, 3);
            String b = c.in("b", 4);
            long s = cfg[1];
            long p = cfg[2];
            c.check(c.g.op("Conv", List.of(x, w, b), Attrs.ints("strides", s, s), Attrs.ints("pads", p, p, p, p),
                    Attrs.i("group", groups)));
        }
    }

    /** nn.ConvTranspose2d upsampling: kernel 4 stride 2 pad 1, and kernel 3 stride 2 pad 1 output_padding 1. */
    @Test
    void convTranspose2d() throws Exception {
        for (long[] cfg : new long[][] {{4, 2, 1, 0}, {3, 2, 1, 1}, {3, 1, 1, 0}}) {
            GradCase c = new GradCase("conv_transpose_k" + cfg[0] + "_s" + cfg[1] + "_op" + cfg[3], DataType.FLOAT);
            String x = c.in("x", 2, 3, 4, 5);
            String w = c.in("w", 3, 2, cfg[0], cfg[0]);
            String b = c.in("b", 2);
            c.check(c.g.op("ConvTranspose", List.of(x, w, b), Attrs.ints("strides", cfg[1], cfg[1]),
                    Attrs.ints("pads", cfg[2], cfg[2], cfg[2], cfg[2]), Attrs.ints("output_padding", cfg[3], cfg[3])));
        }
    }

    // ------------------------------------------------------------ exported-UNet ops (float32: ORT's CPU kernels)

    /** GroupNorm as PyTorch exports it before opset 18: Reshape [N, G, -1] → InstanceNormalization → Reshape → affine. */
    @Test
    void instanceNormalizationAsExportedGroupNorm() throws Exception {
        GradCase c = new GradCase("instance_norm_groupnorm_export", DataType.FLOAT);
        GraphBuilder g = c.g;
        String x = c.dyn("x", 2, 4, 3, 3);
        String grouped = g.reshape(x, 0, 2, -1);
        String normed = g.op("InstanceNormalization", List.of(grouped, c.param("in_scale", 2), c.param("in_bias", 2)),
                Attrs.f("epsilon", 1e-5));
        String back = g.reshapeLike(normed, g.shape(x));
        c.check(g.add(g.mul(back, c.param("gamma", 4, 1, 1)), c.param("beta", 4, 1, 1)));
    }

    @Test
    void instanceNormalizationRank3() throws Exception {
        GradCase c = new GradCase("instance_norm_rank3", DataType.FLOAT);
        // weighted by a fixed tensor: Σ y(0.5y + 0.3) alone does not depend on x (normalised rows have fixed moments)
        String y = c.g.op("InstanceNormalization", List.of(c.inRange("x", -3, 3, 2, 3, 12), c.param("s", 3),
                c.param("b", 3)), Attrs.f("epsilon", 1e-5));
        c.check(c.g.mul(y, c.fixed("w", -1, 1, 2, 3, 12)));
    }

    /**
     * Single-op GroupNormalization: scale/bias per group at opset 18 (and 20), per channel at opset 21.
     * stash_type (opset 21) is set to the graph type: its float32 default would
     * round the float64 forward pass below the finite-difference step.
     */
    @Test
    void groupNormalizationSingleOp() throws Exception {
        for (int opset : new int[] {18, 21}) {
            for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
                GradCase c = new GradCase("group_norm_op" + opset + "_" + type, type, opset);
                long affine = opset >= 21 ? 6 : 3;
                List<String> in = List.of(c.inRange("x", -2, 2, 2, 6, 2, 3), c.param("scale", affine),
                        c.param("bias", affine));
                String y = opset >= 21
                        ? c.g.op("GroupNormalization", in, Attrs.i("num_groups", 3), Attrs.f("epsilon", 1e-5),
                                Attrs.i("stash_type", type.getNumber()))
                        : c.g.op("GroupNormalization", in, Attrs.i("num_groups", 3), Attrs.f("epsilon", 1e-5));
                c.check(c.g.mul(y, c.fixed("w", -1, 1, 2, 6, 2, 3)));
            }
        }
    }

    /** Einsum in the forms attention exports use, one-operand forms, an implicit output and a letter summed out of one operand. */
    @Test
    void einsumAttentionForms() throws Exception {
        Object[][] cases = {
            {"bij,bjk->bik", new long[] {2, 3, 4}, new long[] {2, 4, 5}},
            {"bhid,bhjd->bhij", new long[] {2, 2, 3, 4}, new long[] {2, 2, 5, 4}},
            {"bhij,bhjd->bhid", new long[] {2, 2, 3, 5}, new long[] {2, 2, 5, 4}},
            {"bid,bjd->bij", new long[] {2, 3, 4}, new long[] {2, 5, 4}},
            {"ij,jk", new long[] {3, 4}, new long[] {4, 2}},
            {"bij,bk->bik", new long[] {2, 3, 4}, new long[] {2, 5}},
            {"bij->bji", new long[] {2, 3, 4}, null},
            {"bij->bi", new long[] {2, 3, 4}, null},
        };
        int k = 0;
        for (Object[] cs : cases) {
            GradCase c = new GradCase("einsum_" + k++);
            List<String> in = cs[2] == null ? List.of(c.in("a", (long[]) cs[1]))
                    : List.of(c.in("a", (long[]) cs[1]), c.param("b", (long[]) cs[2]));
            c.check(c.g.op("Einsum", in, Attrs.s("equation", (String) cs[0])));
        }
    }

    /** nn.Upsample(scale_factor=2) / F.interpolate(mode='nearest'): Resize with constant scales (and 2×3 factors). */
    @Test
    void nearestResizeWithIntegerScales() throws Exception {
        for (long[] f : new long[][] {{2, 2}, {2, 3}}) {
            GradCase c = new GradCase("resize_nearest_" + f[0] + "x" + f[1], DataType.FLOAT);
            GraphBuilder g = c.g;
            String x = c.dyn("x", 2, 3, 3, 4);
            String scales = g.constant(dev.sfd.core.onnx.Tensors.ofType(DataType.FLOAT, "", new long[] {4},
                    new double[] {1, 1, f[0], f[1]}));
            String y = g.op("Resize", List.of(x, "", scales), Attrs.s("mode", "nearest"),
                    Attrs.s("coordinate_transformation_mode", "asymmetric"), Attrs.s("nearest_mode", "floor"));
            c.check(g.mul(y, c.fixed("w", -1, 1, 2, 3, 3 * f[0], 4 * f[1])));
        }
    }

    /**
     * F.interpolate(mode='bilinear'/'bicubic') as exported: scales ×2 with pytorch_half_pixel and
     * align_corners, sizes 3×4 → 5×7 (non-integer factors, also nearest), and a downsampling.
     */
    @Test
    void linearCubicAndNonIntegerNearestResize() throws Exception {
        Object[][] cases = {
            {"linear", "pytorch_half_pixel", new double[] {1, 1, 2, 2}, null},
            {"linear", "align_corners", new double[] {1, 1, 2, 2}, null},
            {"linear", "half_pixel", null, new long[] {2, 3, 5, 7}},
            {"cubic", "pytorch_half_pixel", new double[] {1, 1, 2, 2}, null},
            {"nearest", "pytorch_half_pixel", null, new long[] {2, 3, 5, 7}},
            {"linear", "half_pixel", null, new long[] {2, 3, 2, 3}},
        };
        for (Object[] cs : cases) {
            double[] sc = (double[]) cs[2];
            long[] sizes = sc == null ? (long[]) cs[3] : new long[] {2, 3, (long) (3 * sc[2]), (long) (4 * sc[3])};
            GradCase c = new GradCase("resize_" + cs[0] + "_" + cs[1] + (sc == null ? "_sizes" + sizes[2] + "x" + sizes[3] : "_scales"),
                    DataType.FLOAT);
            GraphBuilder g = c.g;
            String x = c.dyn("x", 2, 3, 3, 4);
            List<String> in = sc != null
                    ? List.of(x, "", g.constant(dev.sfd.core.onnx.Tensors.ofType(DataType.FLOAT, "", new long[] {4}, sc)))
                    : List.of(x, "", "", g.ints(sizes));
            String y = g.op("Resize", in, Attrs.s("mode", (String) cs[0]),
                    Attrs.s("coordinate_transformation_mode", (String) cs[1]));
            c.check(g.mul(y, c.fixed("w", -1, 1, sizes)));
        }
    }

    // ------------------------------------------------------------ non-differentiable paths

    @Test
    void integerAndShapePathsCarryNoGradient() throws Exception {
        GradCase c = new GradCase("int_and_shape_paths");
        GraphBuilder g = c.g;
        String x = c.inRange("x", 0.1, 3, 2, 3);
        String rounded = g.cast(g.cast(x, DataType.INT64), DataType.DOUBLE);
        String reshaped = g.reshapeLike(g.mul(x, rounded), g.shape(x));
        c.check(g.add(reshaped, g.castLike(g.op("Size", List.of(x)), x)));
    }
}
