package dev.sfd.core.onnx.nn;

import java.util.Random;

/** Seeded parameter initialisation (PyTorch-like defaults: uniform ±1/√fan-in for weights). */
public final class Init {

    private final Random random;

    public Init(long seed) {
        this.random = new Random(seed);
    }

    /** n values uniform in [−1/√fanIn, 1/√fanIn]. */
    public double[] uniform(int n, int fanIn) {
        double bound = 1 / Math.sqrt(fanIn);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (2 * random.nextDouble() - 1) * bound;
        }
        return v;
    }

    /** n values from N(0, std²). */
    public double[] normal(int n, double std) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = random.nextGaussian() * std;
        }
        return v;
    }

    public static double[] constant(int n, double value) {
        double[] v = new double[n];
        java.util.Arrays.fill(v, value);
        return v;
    }
}
