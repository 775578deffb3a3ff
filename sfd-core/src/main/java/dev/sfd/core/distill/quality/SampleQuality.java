package dev.sfd.core.distill.quality;

import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * A data set's sample-quality metrics (SFD.md "Evaluation"): given samples x_0 and the labels
 * they were conditioned on, one value per metric. The first metric is the primary one (a
 * Fréchet distance), used for the targets and the plot.
 */
public interface SampleQuality {

    /** Metric names, primary first, e.g. ["FD", "SW", "coverage", "log-lik"]. */
    List<String> metrics();

    /** Whether a larger value is better, per metric (same order). */
    List<Boolean> higherIsBetter();

    /** The metric values of these samples. */
    double[] measure(FloatTensor samples, int[] labels);
}
