package dev.sfd.core.metrics;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.tensor.FloatTensor;

/**
 * All four quality numbers of a {@code mixture2d} sample set against the true distribution
 * p₀ = {@link Mixture2d#ring()}: Fréchet distance to p₀'s exact mean and covariance, sliced
 * Wasserstein distance to {@value #REFERENCE_SAMPLES} exact reference samples (fixed seed), mode
 * coverage (a mode is covered when it holds at least half its share of samples within
 * {@value #MODE_RADIUS} standard deviations) and the mean log-likelihood under p₀.
 *
 * @param frechetDistance   FD to N(mean(p₀), cov(p₀))
 * @param slicedWasserstein SW₂ to the reference samples
 * @param modesCovered      modes covered (of {@code modes})
 * @param modes             number of modes (8)
 * @param onModeFraction    fraction of samples within the radius of some mode
 * @param meanLogLikelihood mean of log p₀(x) over the samples
 */
public record Mixture2dEvaluation(double frechetDistance, double slicedWasserstein, int modesCovered, int modes,
        double onModeFraction, double meanLogLikelihood) {

    public static final int REFERENCE_SAMPLES = 4000;
    public static final long REFERENCE_SEED = 7_000_001L;
    public static final int PROJECTIONS = 64;
    public static final double MODE_RADIUS = 3.0;
    public static final double MIN_SHARE = 0.5;

    /** Evaluates {@code samples} [n, 2] against the built-in mixture. */
    public static Mixture2dEvaluation of(FloatTensor samples) {
        GaussianMixture p0 = Mixture2d.ring().mixture();
        MixtureMetrics.ModeCoverage coverage = MixtureMetrics.modeCoverage(samples, p0, MODE_RADIUS, MIN_SHARE);
        return new Mixture2dEvaluation(
                FrechetDistance.toGaussian(samples, p0.mean(), p0.covariance()),
                SlicedWasserstein.distance(samples, p0.sample(REFERENCE_SAMPLES, REFERENCE_SEED), PROJECTIONS, 17),
                (int) Math.round(coverage.coverage() * p0.components()), p0.components(),
                coverage.onModeFraction(),
                MixtureMetrics.meanLogLikelihood(samples, p0));
    }

    /** The same numbers for exact samples of p₀ (what a perfect sampler reaches on {@code n} samples). */
    public static Mixture2dEvaluation ofExactSamples(int n, long seed) {
        return of(Mixture2d.ring().mixture().sample(n, seed));
    }

    @Override
    public String toString() {
        return String.format("FD %.4f, SW %.4f, coverage %d/%d, on-mode %.3f, log-lik %.4f", frechetDistance,
                slicedWasserstein, modesCovered, modes, onModeFraction, meanLogLikelihood);
    }
}
