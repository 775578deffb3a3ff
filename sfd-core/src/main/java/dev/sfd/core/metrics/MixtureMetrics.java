package dev.sfd.core.metrics;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.tensor.FloatTensor;

/**
 * Quality of samples against a known {@link GaussianMixture}: mean log-likelihood under the
 * clean mixture, and mode coverage (a sample is "on" mode k when its Mahalanobis distance to μ_k
 * is at most {@code radius} standard deviations; a mode is covered when it holds at least
 * {@code minShare} of the samples it should hold, i.e. minShare·w_k·n).
 */
public final class MixtureMetrics {

    /**
     * @param coverage       fraction of modes covered
     * @param onModeFraction fraction of samples on some mode
     * @param counts         samples on each mode
     */
    public record ModeCoverage(double coverage, double onModeFraction, int[] counts) {
    }

    private MixtureMetrics() {
    }

    /** Mean of log p_0(x) over the samples. */
    public static double meanLogLikelihood(FloatTensor samples, GaussianMixture mixture) {
        SampleStatistics.requireSamples(samples, 1);
        int d = requireDim(samples, mixture);
        double s = 0;
        double[] x = new double[d];
        for (int i = 0; i < samples.batch(); i++) {
            for (int j = 0; j < d; j++) {
                x[j] = samples.data()[i * d + j];
            }
            s += mixture.logDensity(x);
        }
        return s / samples.batch();
    }

    public static ModeCoverage modeCoverage(FloatTensor samples, GaussianMixture mixture, double radius,
            double minShare) {
        SampleStatistics.requireSamples(samples, 1);
        int d = requireDim(samples, mixture);
        int k = mixture.components();
        int[] counts = new int[k];
        int onMode = 0;
        for (int i = 0; i < samples.batch(); i++) {
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double[] mu = mixture.mean(c);
                double[] v = mixture.variance(c);
                double m2 = 0;
                for (int j = 0; j < d; j++) {
                    double diff = samples.data()[i * d + j] - mu[j];
                    m2 += diff * diff / v[j];
                }
                if (m2 < bestDist) {
                    bestDist = m2;
                    best = c;
                }
            }
            if (bestDist <= radius * radius) {
                counts[best]++;
                onMode++;
            }
        }
        int covered = 0;
        for (int c = 0; c < k; c++) {
            if (counts[c] >= minShare * mixture.weight(c) * samples.batch()) {
                covered++;
            }
        }
        return new ModeCoverage((double) covered / k, (double) onMode / samples.batch(), counts);
    }

    private static int requireDim(FloatTensor samples, GaussianMixture mixture) {
        if (samples.sampleSize() != mixture.dimension()) {
            throw new IllegalArgumentException("samples " + samples.shapeString() + " have dimension "
                    + samples.sampleSize() + ", the mixture " + mixture.dimension());
        }
        return mixture.dimension();
    }
}
