package dev.sfd.core.distill.quality;

import java.util.function.DoubleFunction;

/**
 * A point estimate with its percentile bootstrap interval ({@link Bootstrap}).
 *
 * @param point      the statistic on the samples themselves
 * @param low        2.5th percentile of the bootstrap replicates
 * @param high       97.5th percentile
 * @param replicates B, the number of resamples
 * @param seed       the bootstrap's seed (the resamples are reproducible from it)
 */
public record Interval(double point, double low, double high, int replicates, long seed) {

    public boolean contains(double x) {
        return low <= x && x <= high;
    }

    public double width() {
        return high - low;
    }

    /**
     * Whether the point lies outside its own interval: for a Fréchet distance near 0 the estimate is
     * biased upward at finite n, and resamples (with repeated rows) carry that bias once more, so
     * the percentile interval can lie wholly above the point. Its width is still the sampling spread.
     */
    public boolean pointOutside() {
        return !contains(point);
    }

    /** "17.2 [15.9, 18.8]" with {@code number} formatting each of the three; "*" after it when {@link #pointOutside()}. */
    public String format(DoubleFunction<String> number) {
        return number.apply(point) + " [" + number.apply(low) + ", " + number.apply(high) + "]" + (pointOutside() ? "*" : "");
    }
}
