package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/** A 2-D convolution layer: weight [out, in, k, k], bias [out], square stride and padding. */
public final class Conv2d {

    private final GraphBuilder g;
    private final String weight;
    private final String bias;
    private final long stride;
    private final long pad;

    public Conv2d(GraphBuilder g, String name, int in, int out, int kernel, int stride, int pad, Init init) {
        this.g = g;
        int fanIn = in * kernel * kernel;
        this.weight = g.parameter(name + ".weight", new long[] {out, in, kernel, kernel},
                init.uniform(out * fanIn, fanIn));
        this.bias = g.parameter(name + ".bias", new long[] {out}, init.uniform(out, fanIn));
        this.stride = stride;
        this.pad = pad;
    }

    public String apply(String x) {
        return g.conv(x, weight, bias, stride, pad);
    }
}
