package dev.sfd.core.distill.quality;

import dev.sfd.core.metrics.FrechetDistance;
import dev.sfd.core.metrics.PromptAccuracy;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.metrics.ShapesFid;
import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * Metrics of generated shapes images with the built-in shapes classifier: FD between classifier
 * features of the samples and of {@code realCount} real images (fixed seeds from
 * {@link ShapesFid#REFERENCE_FIRST_SEED}, features computed once), and prompt accuracy (the
 * classifier sees the prompt's colour and shape). Closing it closes the classifier.
 */
public final class ShapesQuality implements SampleQuality, AutoCloseable {

    private final ShapesClassifier classifier;
    private final FloatTensor realFeatures;

    public ShapesQuality(ShapesClassifier classifier, int realCount) {
        this.classifier = classifier;
        this.realFeatures = classifier.classify(ShapesFid.realImages(realCount, ShapesFid.REFERENCE_FIRST_SEED))
                .features();
    }

    @Override
    public List<String> metrics() {
        return List.of("FD", "prompt-acc");
    }

    @Override
    public List<Boolean> higherIsBetter() {
        return List.of(false, true);
    }

    @Override
    public double[] measure(FloatTensor samples, int[] labels) {
        ShapesClassifier.Predictions p = classifier.classify(samples);
        return new double[] {FrechetDistance.between(p.features(), realFeatures),
            labels == null ? Double.NaN : PromptAccuracy.of(p, labels)};
    }

    @Override
    public void close() {
        classifier.close();
    }
}
