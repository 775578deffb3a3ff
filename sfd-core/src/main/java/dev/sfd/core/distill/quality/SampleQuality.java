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

    /**
     * The primary metric of these samples as a function of which rows are used, for the
     * {@link Bootstrap}: at rows 0 … n−1 it equals {@code measure(samples, labels)[0]}. The default
     * re-measures everything per resample; implementations compute the expensive parts once.
     */
    default Bootstrap.Statistic primary(FloatTensor samples, int[] labels) {
        return rows -> measure(Bootstrap.pick(samples, rows), Bootstrap.pick(labels, rows))[0];
    }
}
