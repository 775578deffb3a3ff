package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/** A learned lookup table [count, dim]: int64 indices [...] → vectors [..., dim]. */
public final class Embedding {

    private final GraphBuilder g;
    private final String table;

    public Embedding(GraphBuilder g, String name, int count, int dim, Init init) {
        this.g = g;
        this.table = g.parameter(name + ".table", new long[] {count, dim}, init.normal(count * dim, 1.0 / Math.sqrt(dim)));
    }

    public String apply(String indices) {
        return g.gather(table, indices);
    }
}
