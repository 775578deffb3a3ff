package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * Reference networks of the shapes the built-in teachers will have, built from this package's
 * layers. Used by tests and the training-step benchmark; the teachers themselves live elsewhere.
 */
public final class ExampleNets {

    private ExampleNets() {
    }

    /**
     * A 2-D mixture ε-net: x [B, 2], t [B], label [B] (int64) → ε [B, 2]. Conditioning c =
     * Linear(SiLU(Linear(sinusoidal(t)))) + Embedding(label); residual MLP blocks; LN; Linear.
     */
    public static String mixtureEpsNet(GraphBuilder g, String x, String t, String label, int width, int blocks,
            int classes, Init init) {
        int temb = 8;
        Linear t1 = new Linear(g, "temb.fc1", temb, width, init);
        Linear t2 = new Linear(g, "temb.fc2", width, width, init);
        Embedding labels = new Embedding(g, "label", classes, width, init);
        String c = g.add(t2.apply(g.silu(t1.apply(SinusoidalEmbedding.apply(g, t, temb, 100)))), labels.apply(label));
        String h = new Linear(g, "in", 2, width, init).apply(x);
        for (int b = 0; b < blocks; b++) {
            h = new ResidualMlpBlock(g, "block" + b, width, 2 * width, width, init).apply(h, c);
        }
        return new Linear(g, "out", width, 2, init).apply(new LayerNorm(g, "out.norm", width).apply(h));
    }

    /**
     * A DiT-style ε-net for images x [B, C, S, S], t [B]: p×p patches → tokens → Linear →
     * + learned positions, transformer blocks conditioned on a time embedding, LN → Linear →
     * un-patchify to [B, C, S, S].
     */
    public static String imageEpsNet(GraphBuilder g, String x, String t, int channels, int size, int patch, int dim,
            int heads, int depth, Init init) {
        int grid = size / patch;
        int tokens = grid * grid;
        int patchDim = channels * patch * patch;
        // [B, C, S, S] → [B, C, g, p, g, p] → [B, g, g, C, p, p] → [B, T, C·p·p]
        String p = g.reshape(x, -1, channels, grid, patch, grid, patch);
        p = g.reshape(g.transpose(p, 0, 2, 4, 1, 3, 5), -1, tokens, patchDim);
        String h = new Linear(g, "patch", patchDim, dim, init).apply(p);
        String pos = g.parameter("pos", new long[] {1, tokens, dim}, init.normal(tokens * dim, 0.02));
        h = g.add(h, pos);
        int temb = 64;
        Linear t1 = new Linear(g, "temb.fc1", temb, dim, init);
        Linear t2 = new Linear(g, "temb.fc2", dim, dim, init);
        String c = t2.apply(g.silu(t1.apply(SinusoidalEmbedding.apply(g, t, temb, 1000))));
        for (int b = 0; b < depth; b++) {
            h = new TransformerBlock(g, "block" + b, dim, heads, 4, dim, init).apply(h, c);
        }
        String out = new Linear(g, "unpatch", dim, patchDim, init).apply(new LayerNorm(g, "out.norm", dim).apply(h));
        // [B, T, C·p·p] → [B, g, g, C, p, p] → [B, C, g, p, g, p] → [B, C, S, S]
        out = g.transpose(g.reshape(out, -1, grid, grid, channels, patch, patch), 0, 3, 1, 4, 2, 5);
        return g.reshape(out, -1, channels, size, size);
    }
}
