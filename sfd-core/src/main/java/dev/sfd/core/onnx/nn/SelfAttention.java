package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * Multi-head self-attention over tokens x [B, T, D]: softmax(Q·Kᵀ/√d_h)·V per head, heads
 * concatenated and projected. Q, K, V and the output projection are {@link Linear} layers.
 */
public final class SelfAttention {

    private final GraphBuilder g;
    private final int heads;
    private final int headDim;
    private final Linear q;
    private final Linear k;
    private final Linear v;
    private final Linear out;

    public SelfAttention(GraphBuilder g, String name, int dim, int heads, Init init) {
        if (dim % heads != 0) {
            throw new IllegalArgumentException(name + ": dim " + dim + " is not divisible by " + heads + " heads");
        }
        this.g = g;
        this.heads = heads;
        this.headDim = dim / heads;
        this.q = new Linear(g, name + ".q", dim, dim, init);
        this.k = new Linear(g, name + ".k", dim, dim, init);
        this.v = new Linear(g, name + ".v", dim, dim, init);
        this.out = new Linear(g, name + ".out", dim, dim, init);
    }

    public String apply(String x) {
        String qh = split(q.apply(x));                       // [B, H, T, dh]
        String kt = g.transpose(split(k.apply(x)), 0, 1, 3, 2);  // [B, H, dh, T]
        String vh = split(v.apply(x));
        String scores = g.scale(g.matMul(qh, kt), 1 / Math.sqrt(headDim));
        String mixed = g.matMul(g.softmax(scores, -1), vh);  // [B, H, T, dh]
        String merged = g.reshape(g.transpose(mixed, 0, 2, 1, 3), 0, 0, (long) heads * headDim);
        return out.apply(merged);
    }

    /**
     * [B, T, H·d_h] → [B, H, T, d_h]. The trailing Reshape changes nothing but keeps ONNX Runtime
     * from merging this Transpose with the last-two-axes swaps of the attention products (forward
     * Kᵀ, and Qᵀ, Vᵀ in the backward pass) into one generic permutation such as (0, 2, 3, 1),
     * which it runs ~5× slower than either part; unmerged, the swaps fold into FusedMatMul.
     */
    private String split(String x) {
        return g.reshape(g.transpose(g.reshape(x, 0, 0, heads, headDim), 0, 2, 1, 3), 0, 0, -1, headDim);
    }
}
