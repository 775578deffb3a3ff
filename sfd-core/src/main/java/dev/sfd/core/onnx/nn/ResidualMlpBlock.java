package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * x + W₂·SiLU(W₁·LN(x) + W_c·c): a pre-norm residual MLP block with a conditioning vector c
 * (e.g. time + label embedding) added to the hidden layer.
 */
public final class ResidualMlpBlock {

    private final GraphBuilder g;
    private final LayerNorm norm;
    private final Linear in;
    private final Linear cond;
    private final Linear out;

    public ResidualMlpBlock(GraphBuilder g, String name, int dim, int hidden, int condDim, Init init) {
        this.g = g;
        this.norm = new LayerNorm(g, name + ".norm", dim);
        this.in = new Linear(g, name + ".fc1", dim, hidden, init);
        this.cond = new Linear(g, name + ".cond", condDim, hidden, init);
        this.out = new Linear(g, name + ".fc2", hidden, dim, init);
    }

    public String apply(String x, String c) {
        String h = g.silu(g.add(in.apply(norm.apply(x)), cond.apply(c)));
        return g.add(x, out.apply(h));
    }
}
