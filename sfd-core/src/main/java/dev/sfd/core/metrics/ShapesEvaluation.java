package dev.sfd.core.metrics;

import dev.sfd.core.tensor.FloatTensor;

/**
 * Quality of a shapes sampler on an {@link EvaluationSet}: prompt accuracy and the classifier-
 * feature Fréchet distance to {@value #REAL_IMAGES} real images.
 *
 * @param promptAccuracy fraction of images showing their prompt's named attributes
 * @param fid            {@link ShapesFid} to real images
 * @param samples        images evaluated
 */
public record ShapesEvaluation(double promptAccuracy, double fid, int samples) {

    public static final int REAL_IMAGES = 1000;

    /** Evaluates {@code images} generated for {@code set} (same order). */
    public static ShapesEvaluation of(ShapesClassifier classifier, EvaluationSet set, FloatTensor images) {
        ShapesClassifier.Predictions p = classifier.classify(images);
        return new ShapesEvaluation(PromptAccuracy.of(p, set.labels()),
                ShapesFid.featuresToReal(classifier, p.features(), REAL_IMAGES), images.batch());
    }

    /** Runs {@code sampler} on {@code set} and evaluates the images. */
    public static ShapesEvaluation of(ShapesClassifier classifier, EvaluationSet set, SeededSampler sampler, int batch) {
        return of(classifier, set, set.run(sampler, batch));
    }

    @Override
    public String toString() {
        return String.format("prompt accuracy %.3f, FID %.3f (%d samples)", promptAccuracy, fid, samples);
    }
}
