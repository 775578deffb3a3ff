package dev.sfd.core.teachers;

import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.LayerNorm;
import dev.sfd.core.onnx.nn.Linear;
import dev.sfd.core.onnx.nn.SelfAttention;

/**
 * A DiT block with adaLN-Zero conditioning (Peebles &amp; Xie 2023): from the conditioning vector c,
 * a zero-initialised Linear gives per-sample shift, scale and gate of both sub-layers, so
 * h = x + g₁·Attn(LN(x)·(1+s₁)+b₁), y = h + g₂·MLP(LN(h)·(1+s₂)+b₂), and the block starts as the
 * identity. The noise level and the label modulate every token multiplicatively, which additive
 * conditioning cannot.
 */
final class AdaLnTransformerBlock {

    private final GraphBuilder g;
    private final int dim;
    private final Linear modulation;
    private final LayerNorm norm1;
    private final SelfAttention attention;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;
    private final boolean silu;

    /** {@code activation}: the MLP's, {@code silu} or {@code gelu-tanh}. */
    AdaLnTransformerBlock(GraphBuilder g, String name, int dim, int heads, int mlpRatio, int condDim, String activation,
            Init init) {
        this.g = g;
        this.silu = activation.equals("silu");
        this.dim = dim;
        this.modulation = new Linear(g, name + ".adaln", condDim, 6 * dim, init, true);
        this.norm1 = new LayerNorm(g, name + ".norm1", dim);
        this.attention = new SelfAttention(g, name + ".attn", dim, heads, init);
        this.norm2 = new LayerNorm(g, name + ".norm2", dim);
        this.fc1 = new Linear(g, name + ".fc1", dim, mlpRatio * dim, init);
        this.fc2 = new Linear(g, name + ".fc2", mlpRatio * dim, dim, init);
    }

    /** x [B, T, D], c [B, condDim] (already activated) → [B, T, D]. */
    String apply(String x, String c) {
        String[] m = g.split(g.unsqueeze(modulation.apply(c), 1), 2, dim, dim, dim, dim, dim, dim);
        String h = g.add(x, g.mul(m[2], attention.apply(modulate(norm1.apply(x), m[0], m[1]))));
        String hidden = fc1.apply(modulate(norm2.apply(h), m[3], m[4]));
        return g.add(h, g.mul(m[5], fc2.apply(silu ? g.silu(hidden) : g.gelu(hidden))));
    }

    /** LN(x)·(1 + scale) + shift. */
    private String modulate(String normed, String shift, String scale) {
        return g.add(g.mul(normed, g.add(scale, g.scalar(1))), shift);
    }
}
