package dev.sfd.core.distill.quality;

import dev.sfd.core.metrics.FrechetDistance;
import dev.sfd.core.metrics.ManifoldMetrics;
import dev.sfd.core.metrics.PromptAccuracy;
import dev.sfd.core.metrics.SampleStatistics;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.metrics.ShapesFid;
import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * Metrics of generated shapes images with the built-in shapes classifier: FD between classifier
 * features of the samples and of {@code realCount} real images (fixed seeds from
 * {@link ShapesFid#REFERENCE_FIRST_SEED}, features computed once), prompt accuracy (the
 * classifier sees the prompt's colour and shape), and the k-NN manifold metrics precision, recall,
 * density and coverage ({@link ManifoldMetrics}, k = 5) of the same features against the real
 * features (n = min(samples, realCount) of each: the first n samples are measured, so with the
 * default 4000 samples and 2000 real images, the first 2000). Closing it closes the classifier.
 */
public final class ShapesQuality implements SampleQuality, AutoCloseable {

    private final ShapesClassifier classifier;
    private final FloatTensor realFeatures;
    private final double[] realMean;
    private final double[][] realCovariance;
    private FloatTensor lastSamples;
    private ShapesClassifier.Predictions lastPredictions;
    private final java.util.Map<Integer, ManifoldMetrics.Reference> manifolds = new java.util.HashMap<>();

    public ShapesQuality(ShapesClassifier classifier, int realCount) {
        this.classifier = classifier;
        this.realFeatures = classifier.classify(ShapesFid.realImages(realCount, ShapesFid.REFERENCE_FIRST_SEED))
                .features();
        this.realMean = SampleStatistics.mean(realFeatures);
        this.realCovariance = SampleStatistics.covariance(realFeatures);
    }

    @Override
    public List<String> metrics() {
        return List.of("FD", "prompt-acc", "precision", "recall", "density", "coverage");
    }

    @Override
    public List<Boolean> higherIsBetter() {
        return List.of(false, true, true, true, true, true);
    }

    @Override
    public double[] measure(FloatTensor samples, int[] labels) {
        ShapesClassifier.Predictions p = classify(samples);
        int n = Math.min(p.features().batch(), realFeatures.batch());
        ManifoldMetrics.Result prdc = manifolds.computeIfAbsent(n, m -> new ManifoldMetrics.Reference(
                firstRows(realFeatures, m), ManifoldMetrics.DEFAULT_K)).measure(firstRows(p.features(), n));
        return new double[] {fd(p.features()),
            labels == null ? Double.NaN : PromptAccuracy.of(p, labels), prdc.precision(), prdc.recall(),
            prdc.density(), prdc.coverage()};
    }

    /** FD of the classifier features of the resampled rows to the real features (classified once). */
    @Override
    public Bootstrap.Statistic primary(FloatTensor samples, int[] labels) {
        FloatTensor features = classify(samples).features();
        return rows -> fd(Bootstrap.pick(features, rows));
    }

    private double fd(FloatTensor features) {
        return FrechetDistance.ofGaussians(SampleStatistics.mean(features), SampleStatistics.covariance(features),
                realMean, realCovariance);
    }

    /** The classifier's predictions, reused when the same tensor is measured and then resampled. */
    private ShapesClassifier.Predictions classify(FloatTensor samples) {
        if (samples != lastSamples) {
            lastPredictions = classifier.classify(samples);
            lastSamples = samples;
        }
        return lastPredictions;
    }

    /** The first {@code n} samples of {@code x} (x itself when it has n). */
    static FloatTensor firstRows(FloatTensor x, int n) {
        if (x.batch() == n) {
            return x;
        }
        long[] shape = x.shape().clone();
        shape[0] = n;
        return new FloatTensor(shape, java.util.Arrays.copyOf(x.data(), n * x.sampleSize()));
    }

    @Override
    public void close() {
        classifier.close();
    }
}
