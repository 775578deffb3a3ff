package dev.sfd.core.metrics;

import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.tensor.FloatTensor;

/**
 * The FID analogue of the shapes data set: the Fréchet distance between Gaussians fitted to the
 * {@link ShapesClassifier}'s penultimate features of generated and of real images.
 */
public final class ShapesFid {

    /** First seed of the real reference images (disjoint from the classifier's training seeds). */
    public static final long REFERENCE_FIRST_SEED = 6_000_000_000L;

    private ShapesFid() {
    }

    /** FD between the features of two image sets [n, 3, 16, 16]. */
    public static double between(ShapesClassifier classifier, FloatTensor a, FloatTensor b) {
        return FrechetDistance.between(classifier.classify(a).features(), classifier.classify(b).features());
    }

    /** FD between the features of generated images and of {@code realCount} real images (fixed seeds). */
    public static double toReal(ShapesClassifier classifier, FloatTensor generated, int realCount) {
        return FrechetDistance.between(classifier.classify(generated).features(), realFeatures(classifier, realCount));
    }

    /** FD between already computed features and those of {@code realCount} real images. */
    public static double featuresToReal(ShapesClassifier classifier, FloatTensor features, int realCount) {
        return FrechetDistance.between(features, realFeatures(classifier, realCount));
    }

    /** {@code n} real images with seeds from {@link #REFERENCE_FIRST_SEED}. */
    public static FloatTensor realImages(int n, long firstSeed) {
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = firstSeed + i;
        }
        return ShapesDataset.batch(seeds).images();
    }

    private static FloatTensor realFeatures(ShapesClassifier classifier, int n) {
        return classifier.classify(realImages(n, REFERENCE_FIRST_SEED)).features();
    }
}
