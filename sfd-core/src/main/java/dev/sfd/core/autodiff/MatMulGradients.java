package dev.sfd.core.autodiff;

import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import java.util.Map;

/** Gradient rules of MatMul (2-D, batched, weight-shared) and Gemm. */
final class MatMulGradients {

    private MatMulGradients() {
    }

    static void register(Map<String, GradientRule> rules) {
        rules.put("MatMul", MatMulGradients::matMul);
        rules.put("Gemm", MatMulGradients::gemm);
    }

    /** Y = A·B: dA = gy·Bᵀ, dB = Aᵀ·gy (batch axes summed back where A or B was broadcast). */
    private static void matMul(GradContext c) {
        GraphBuilder g = c.g();
        String a = c.in(0);
        String b = c.in(1);
        Integer ra = c.rank(a);
        Integer rb = c.rank(b);
        if (ra == null || rb == null) {
            throw c.unsupported("ranks of '" + a + "' (" + ra + ") and '" + b + "' (" + rb + ") must be known");
        }
        if (ra < 2 || rb < 2) {
            throw c.unsupported("1-D operands are not supported (ranks " + ra + ", " + rb + ")");
        }
        if (rb == 2) {
            // A [..., M, K] times a shared weight B [K, N]: dA = gy·Bᵀ, dB = Σ over rows of Aᵀ·gy
            if (c.needs(0)) {
                c.setGrad(0, g.matMul(c.gy(), g.transpose(b, 1, 0)));
            }
            if (c.needs(1)) {
                String gy2 = ra == 2 ? c.gy() : g.reshapeLike(c.gy(), rowsShape(g, b, 1));
                c.setGrad(1, g.matMul(rowsTransposed(g, a, ra, b), gy2));
            }
            return;
        }
        if (c.needs(0)) {
            c.setGrad(0, c.unbroadcast(g.matMul(c.gy(), swapLast(g, b, rb)), 0, gradShape(c, a)));
        }
        if (c.needs(1)) {
            c.setGrad(1, c.unbroadcast(g.matMul(swapLast(g, a, ra), c.gy()), 1, gradShape(c, b)));
        }
    }

    /** Probe shape of an operand's gradient before summing: Y's batch dims, the operand's matrix dims. */
    private static long[] gradShape(GradContext c, String operand) {
        long[] y = c.probeShape(c.out(0));
        long[] m = c.probeShape(operand);
        if (y == null || m == null) {
            return null;
        }
        long[] r = y.clone();
        r[r.length - 2] = m[m.length - 2];
        r[r.length - 1] = m[m.length - 1];
        return r;
    }

    /**
     * Aᵀ for A [..., K] viewed as rows [R, K]: [K, R]. For rank 2 a Transpose that ONNX Runtime
     * fuses into the MatMul (FusedMatMul transA). For higher ranks a materialised Transpose with
     * perm (r−1, 0, …, r−2), then Reshape to [K, −1]: not a swap of the last two axes, so it is
     * not fused, and the product runs as a plain MatMul: the benchmark's gradient step ran ~13%
     * faster than with FusedMatMul(transA), whose GEMM re-transposes blocks of A.
     */
    private static String rowsTransposed(GraphBuilder g, String a, int ra, String b) {
        if (ra == 2) {
            String a2 = ra == 2 ? a : g.reshapeLike(a, rowsShape(g, b, 0));
            return g.transpose(a2, 1, 0);
        }
        long[] perm = new long[ra];
        perm[0] = ra - 1;
        for (int i = 1; i < ra; i++) {
            perm[i] = i - 1;
        }
        String dim = g.op("Slice", List.of(g.shape(b), g.ints(0), g.ints(1)));
        return g.reshapeLike(g.transpose(a, perm), g.concat(0, dim, g.ints(-1)));
    }

    /** The shape [-1, dim d of matrix m] as a value. */
    private static String rowsShape(GraphBuilder g, String m, int d) {
        String dim = g.op("Slice", List.of(g.shape(m), g.ints(d), g.ints(d + 1)));
        return g.concat(0, g.ints(-1), dim);
    }

    private static String swapLast(GraphBuilder g, String x, int rank) {
        long[] perm = new long[rank];
        for (int i = 0; i < rank; i++) {
            perm[i] = i;
        }
        perm[rank - 2] = rank - 1;
        perm[rank - 1] = rank - 2;
        return g.transpose(x, perm);
    }

    /**
     * Y = α·op(A)·op(B) + β·C. With op(A)=A: dA = α·gy·op(B)ᵀ; with op(A)=Aᵀ: dA = α·op(B)·gyᵀ.
     * With op(B)=B: dB = α·op(A)ᵀ·gy; with op(B)=Bᵀ: dB = α·gyᵀ·op(A). dC = β·gy summed to C's shape.
     */
    private static void gemm(GradContext c) {
        GraphBuilder g = c.g();
        boolean ta = c.attr("transA", 0) == 1;
        boolean tb = c.attr("transB", 0) == 1;
        float alpha = Attrs.getFloat(c.node(), "alpha", 1f);
        float beta = Attrs.getFloat(c.node(), "beta", 1f);
        String gy = c.gy();
        if (c.needs(0)) {
            String da = ta ? gemm(g, c.in(1), gy, tb, true, alpha) : gemm(g, gy, c.in(1), false, !tb, alpha);
            c.setGrad(0, da);
        }
        if (c.needs(1)) {
            String db = tb ? gemm(g, gy, c.in(0), true, ta, alpha) : gemm(g, c.in(0), gy, !ta, false, alpha);
            c.setGrad(1, db);
        }
        if (c.needs(2)) {
            String dc = c.unbroadcast(gy, 2);
            c.setGrad(2, beta == 1f ? dc : g.scale(dc, beta));
        }
    }

    private static String gemm(GraphBuilder g, String a, String b, boolean ta, boolean tb, float alpha) {
        return g.op("Gemm", List.of(a, b), Attrs.i("transA", ta ? 1 : 0), Attrs.i("transB", tb ? 1 : 0),
                Attrs.f("alpha", alpha));
    }
}
