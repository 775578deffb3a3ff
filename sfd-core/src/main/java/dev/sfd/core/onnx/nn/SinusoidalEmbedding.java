package dev.sfd.core.onnx.nn;

import dev.sfd.core.onnx.GraphBuilder;

/**
 * Transformer-style sinusoidal features of a scalar per sample: t [B] → [B, dim] =
 * [cos(t·f_0..f_{h−1}), sin(t·f_0..f_{h−1})], f_k = maxPeriod^(−k/h), h = dim/2. No parameters.
 */
public final class SinusoidalEmbedding {

    private SinusoidalEmbedding() {
    }

    public static String apply(GraphBuilder g, String t, int dim, double maxPeriod) {
        if (dim % 2 != 0) {
            throw new IllegalArgumentException("sinusoidal embedding dim must be even, got " + dim);
        }
        int half = dim / 2;
        double[] freqs = new double[half];
        for (int k = 0; k < half; k++) {
            freqs[k] = Math.exp(-Math.log(maxPeriod) * k / half);
        }
        String args = g.mul(g.unsqueeze(t, 1), g.constant(new long[] {1, half}, freqs));
        // cos a = sin(a + π/2): ONNX Runtime's CPU Cos has no float64 kernel, Sin has
        return g.concat(1, g.sin(g.add(args, g.scalar(Math.PI / 2))), g.sin(args));
    }
}
