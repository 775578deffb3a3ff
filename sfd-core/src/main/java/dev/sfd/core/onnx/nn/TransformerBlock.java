package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * A pre-norm transformer block with additive conditioning: h = x + proj(c) (broadcast over
 * tokens), h = h + Attn(LN(h)), y = h + MLP(LN(h)) with a GELU MLP of width {@code mlpRatio}·D.
 */
public final class TransformerBlock {

    private final GraphBuilder g;
    private final Linear cond;
    private final LayerNorm norm1;
    private final SelfAttention attention;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;

    public TransformerBlock(GraphBuilder g, String name, int dim, int heads, int mlpRatio, int condDim, Init init) {
        this.g = g;
        this.cond = new Linear(g, name + ".cond", condDim, dim, init);
        this.norm1 = new LayerNorm(g, name + ".norm1", dim);
        this.attention = new SelfAttention(g, name + ".attn", dim, heads, init);
        this.norm2 = new LayerNorm(g, name + ".norm2", dim);
        this.fc1 = new Linear(g, name + ".fc1", dim, mlpRatio * dim, init);
        this.fc2 = new Linear(g, name + ".fc2", mlpRatio * dim, dim, init);
    }

    /** x [B, T, D], c [B, condDim] → [B, T, D]. */
    public String apply(String x, String c) {
        String h = g.add(x, g.unsqueeze(cond.apply(c), 1));
        h = g.add(h, attention.apply(norm1.apply(h)));
        return g.add(h, fc2.apply(g.gelu(fc1.apply(norm2.apply(h)))));
    }
}
