package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * y = x·W + b with W [in, out] and b [out], for x of any rank ≥ 2 (last axis = in). Parameters
 * are named {@code name.weight} and {@code name.bias}. {@code zero} initialises both to zero
 * (used for layers that must start as a no-op).
 */
public final class Linear {

    private final GraphBuilder g;
    private final String weight;
    private final String bias;

    public Linear(GraphBuilder g, String name, int in, int out, Init init) {
        this(g, name, in, out, init, false);
    }

    public Linear(GraphBuilder g, String name, int in, int out, Init init, boolean zero) {
        this.g = g;
        this.weight = g.parameter(name + ".weight", new long[] {in, out},
                zero ? new double[in * out] : init.uniform(in * out, in));
        this.bias = g.parameter(name + ".bias", new long[] {out}, zero ? new double[out] : init.uniform(out, in));
    }

    public String apply(String x) {
        return g.add(g.matMul(x, weight), bias);
    }
}
