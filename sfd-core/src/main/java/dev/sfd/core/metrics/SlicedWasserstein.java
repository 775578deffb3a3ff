package dev.sfd.core.metrics;

import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * Sliced 2-Wasserstein distance between two sample sets: project both on {@code projections}
 * random unit directions (seeded), compute the exact 1-D W2 between the projected empirical
 * distributions (matching quantiles at levels (i + ½)/m, m = max(n1, n2)), and return
 * {@code sqrt(mean over directions of W2²)}.
 */
public final class SlicedWasserstein {

    private SlicedWasserstein() {
    }

    public static double distance(FloatTensor a, FloatTensor b, int projections, long seed) {
        SampleStatistics.requireSamples(a, 1);
        SampleStatistics.requireSamples(b, 1);
        if (a.sampleSize() != b.sampleSize()) {
            throw new IllegalArgumentException("sample sets have different dimensions: " + a.shapeString()
                    + " vs " + b.shapeString());
        }
        if (projections < 1) {
            throw new IllegalArgumentException("need at least one projection, got " + projections);
        }
        int d = a.sampleSize();
        SplitMix64 rng = new SplitMix64(seed);
        double total = 0;
        double[] dir = new double[d];
        for (int p = 0; p < projections; p++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                dir[j] = rng.nextGaussian();
                norm += dir[j] * dir[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < d; j++) {
                dir[j] /= norm;
            }
            double[] pa = project(a, dir);
            double[] pb = project(b, dir);
            total += squaredW2(pa, pb);
        }
        return Math.sqrt(total / projections);
    }

    private static double[] project(FloatTensor x, double[] dir) {
        int n = x.batch();
        int d = dir.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x.data()[i * d + j] * dir[j];
            }
            out[i] = s;
        }
        Arrays.sort(out);
        return out;
    }

    /** W2² between two sorted 1-D empirical distributions, via their quantile functions. */
    private static double squaredW2(double[] sa, double[] sb) {
        int m = Math.max(sa.length, sb.length);
        double s = 0;
        for (int i = 0; i < m; i++) {
            double level = (i + 0.5) / m;
            double qa = sa[(int) Math.min(sa.length - 1, Math.floor(level * sa.length))];
            double qb = sb[(int) Math.min(sb.length - 1, Math.floor(level * sb.length))];
            s += (qa - qb) * (qa - qb);
        }
        return s / m;
    }
}
