package dev.sfd.core.distill.quality;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.metrics.FrechetDistance;
import dev.sfd.core.metrics.ManifoldMetrics;
import dev.sfd.core.metrics.MixtureMetrics;
import dev.sfd.core.metrics.SlicedWasserstein;
import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * Exact metrics against a known Gaussian mixture (mixture2d):
 * <ul>
 *   <li>FD: class-conditional Fréchet distance, the mean over labels of the FD between the samples
 *       drawn with label k and the exact mixture restricted to label k (for unlabelled samples,
 *       the FD to the whole mixture). A conditional sampler that collapses each class onto its
 *       mode's mean has a large FD here, while the marginal FD barely sees it;</li>
 *   <li>FD-marginal: FD of all samples to the whole mixture's exact mean and covariance;</li>
 *   <li>SW: sliced-Wasserstein distance to 20 000 exact samples (64 seeded projections);</li>
 *   <li>mode-cov: fraction of modes holding ≥ half their share of samples within 3 σ;</li>
 *   <li>log-lik: mean log-density under the clean mixture;</li>
 *   <li>precision, recall, density, coverage: k-NN manifold metrics ({@link ManifoldMetrics}, k = 5)
 *       of the samples themselves against as many exact samples of the mixture (the first n of the
 *       20 000 exact samples, n = the number of samples measured).</li>
 * </ul>
 */
public final class MixtureQuality implements SampleQuality {

    private final GaussianMixture mixture;
    private final FloatTensor reference;
    private final java.util.Map<Integer, ManifoldMetrics.Reference> manifolds = new java.util.HashMap<>();

    public MixtureQuality(GaussianMixture mixture) {
        this.mixture = mixture;
        this.reference = mixture.sample(20_000, 42);
    }

    @Override
    public List<String> metrics() {
        return List.of("FD", "FD-marginal", "SW", "mode-cov", "log-lik", "precision", "recall", "density", "coverage");
    }

    @Override
    public List<Boolean> higherIsBetter() {
        return List.of(false, false, false, true, true, true, true, true, true);
    }

    @Override
    public double[] measure(FloatTensor samples, int[] labels) {
        ManifoldMetrics.Result prdc = manifold(samples);
        return new double[] {conditionalFd(samples, labels),
            FrechetDistance.toGaussian(samples, mixture.mean(), mixture.covariance()),
            SlicedWasserstein.distance(samples, reference, 64, 7),
            MixtureMetrics.modeCoverage(samples, mixture, 3.0, 0.5).coverage(),
            MixtureMetrics.meanLogLikelihood(samples, mixture), prdc.precision(), prdc.recall(), prdc.density(),
            prdc.coverage()};
    }

    /** The class-conditional FD only, per resample. */
    @Override
    public Bootstrap.Statistic primary(FloatTensor samples, int[] labels) {
        return rows -> conditionalFd(Bootstrap.pick(samples, rows), Bootstrap.pick(labels, rows));
    }

    /** k-NN manifold metrics against the first n exact samples (n = min(samples, 20 000); samples cut to n). */
    private ManifoldMetrics.Result manifold(FloatTensor samples) {
        int n = Math.min(samples.batch(), reference.batch());
        ManifoldMetrics.Reference ref = manifolds.computeIfAbsent(n,
                m -> new ManifoldMetrics.Reference(ShapesQuality.firstRows(reference, m), ManifoldMetrics.DEFAULT_K));
        return ref.measure(ShapesQuality.firstRows(samples, n));
    }

    /** Mean over the labels present of FD(samples with label k, exact p_0(· | k)). */
    private double conditionalFd(FloatTensor samples, int[] labels) {
        if (labels == null) {
            return FrechetDistance.toGaussian(samples, mixture.mean(), mixture.covariance());
        }
        int d = samples.sampleSize();
        java.util.Map<Integer, java.util.List<Integer>> byLabel = new java.util.TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            byLabel.computeIfAbsent(labels[i], k -> new java.util.ArrayList<>()).add(i);
        }
        double sum = 0;
        for (var e : byLabel.entrySet()) {
            List<Integer> rows = e.getValue();
            float[] x = new float[rows.size() * d];
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(samples.data(), rows.get(r) * d, x, r * d, d);
            }
            FloatTensor part = new FloatTensor(new long[] {rows.size(), d}, x);
            double[] mean = new double[d];
            double[][] cov = new double[d][d];
            conditionalMoments(e.getKey(), mean, cov);
            sum += FrechetDistance.toGaussian(part, mean, cov);
        }
        return sum / byLabel.size();
    }

    /** Mean and covariance of the mixture restricted to {@code label} (∅ = all components). */
    private void conditionalMoments(int label, double[] mean, double[][] cov) {
        int d = mean.length;
        double total = 0;
        for (int k = 0; k < mixture.components(); k++) {
            if (mixture.selects(label, k)) {
                total += mixture.weight(k);
            }
        }
        for (int k = 0; k < mixture.components(); k++) {
            if (mixture.selects(label, k)) {
                double w = mixture.weight(k) / total;
                double[] mu = mixture.mean(k);
                double[] v = mixture.variance(k);
                for (int i = 0; i < d; i++) {
                    mean[i] += w * mu[i];
                    cov[i][i] += w * v[i];
                    for (int j = 0; j < d; j++) {
                        cov[i][j] += w * mu[i] * mu[j];
                    }
                }
            }
        }
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                cov[i][j] -= mean[i] * mean[j];
            }
        }
    }
}
