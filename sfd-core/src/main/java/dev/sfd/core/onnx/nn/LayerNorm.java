package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/** Layer normalisation over the last axis with learned scale (ones) and bias (zeros). */
public final class LayerNorm {

    private final GraphBuilder g;
    private final String scale;
    private final String bias;

    public LayerNorm(GraphBuilder g, String name, int dim) {
        this.g = g;
        this.scale = g.parameter(name + ".scale", new long[] {dim}, Init.constant(dim, 1));
        this.bias = g.parameter(name + ".bias", new long[] {dim}, new double[dim]);
    }

    public String apply(String x) {
        return g.layerNorm(x, scale, bias, 1e-5);
    }
}
