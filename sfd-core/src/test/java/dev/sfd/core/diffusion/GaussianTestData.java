package dev.sfd.core.diffusion;

import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.tensor.FloatTensor;

/** Single-Gaussian data N(μ, s²I), whose VE PF-ODE has a closed-form solution. */
final class GaussianTestData {

    static final double[] MU = {0.5, -1.0, 0.25, 2.0};
    static final double S = 0.5;

    private GaussianTestData() {
    }

    /** x_t = μ + (x_T − μ)·sqrt(s² + t²)/sqrt(s² + T²): the exact PF-ODE flow from T to t. */
    static double[] exact(FloatTensor xT, double tFrom, double tTo) {
        double f = Math.sqrt(S * S + tTo * tTo) / Math.sqrt(S * S + tFrom * tFrom);
        int d = MU.length;
        double[] out = new double[xT.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = MU[i % d] + (xT.data()[i] - MU[i % d]) * f;
        }
        return out;
    }

    /** Root-mean-square difference between a tensor and a reference. */
    static double rms(FloatTensor x, double[] ref) {
        double s = 0;
        for (int i = 0; i < ref.length; i++) {
            double e = x.data()[i] - ref[i];
            s += e * e;
        }
        return Math.sqrt(s / ref.length);
    }

    /** 16 starting points x_T ~ N(0, T²I), seeds 1…16. */
    static FloatTensor start(double tMax) {
        long[] seeds = new long[16];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = i + 1;
        }
        return SeededNoise.gaussian(seeds, new long[] {MU.length}, tMax);
    }
}
