package dev.sfd.core.distill.quality;

import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * Percentile bootstrap over generated samples: B times, draw n rows with replacement from the n
 * samples (labels travel with their rows) and recompute the statistic; the 95 % interval is the
 * 2.5th … 97.5th percentile of the B values (linear interpolation between order statistics).
 * Replicate r draws its rows from {@code SplitMix64(w)}, w = the first word of
 * {@code SplitMix64(seed ^ r·0xD1B54A32D192ED03)} (row = draw mod n; nearby seeds share no
 * replicate, unlike seed + r would), so the same
 * seed resamples the same rows for every sampler of a report (paired, like the evaluation seeds).
 * The data reference (real images, exact Gaussians, the converged teacher) is held fixed. For an
 * FD near 0 the interval can lie above the point ({@link Interval#pointOutside()}).
 *
 * @param replicates B (0 = off)
 * @param seed       recorded in the report
 */
public record Bootstrap(int replicates, long seed) {

    public static final int DEFAULT_REPLICATES = 200;
    public static final long DEFAULT_SEED = 25;
    /** Fewer replicates than this cannot give a 95 % interval worth printing. */
    public static final int MIN_REPLICATES = 20;

    /** A statistic of a resample, given the rows drawn (with repeats). */
    @FunctionalInterface
    public interface Statistic {
        double of(int[] rows);
    }

    public Bootstrap {
        if (replicates != 0 && replicates < MIN_REPLICATES) {
            throw new IllegalArgumentException("--bootstrap " + replicates + ": give 0 (off) or at least "
                    + MIN_REPLICATES + " replicates for a 95 % interval (e.g. " + DEFAULT_REPLICATES + ")");
        }
    }

    public static Bootstrap off() {
        return new Bootstrap(0, DEFAULT_SEED);
    }

    public boolean enabled() {
        return replicates > 0;
    }

    /** The statistic on all n samples and its 95 % percentile interval. */
    public Interval interval(int n, Statistic statistic) {
        if (!enabled()) {
            throw new IllegalStateException("bootstrap is off (0 replicates)");
        }
        int[] all = new int[n];
        Arrays.setAll(all, i -> i);
        double point = statistic.of(all);
        double[] values = new double[replicates];
        int[] rows = new int[n];
        for (int r = 0; r < replicates; r++) {
            SplitMix64 rng = new SplitMix64(new SplitMix64(seed ^ (r * 0xD1B54A32D192ED03L)).nextLong());
            for (int i = 0; i < n; i++) {
                rows[i] = (int) Math.floorMod(rng.nextLong(), (long) n);
            }
            values[r] = statistic.of(rows);
        }
        Arrays.sort(values);
        return new Interval(point, percentile(values, 0.025), percentile(values, 0.975), replicates, seed);
    }

    /** The q-quantile of sorted values, linear between order statistics (position q·(B−1)). */
    static double percentile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    /** Rows {@code rows} of a batch-first tensor, in that order. */
    public static FloatTensor pick(FloatTensor x, int[] rows) {
        int d = x.sampleSize();
        float[] out = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(x.data(), rows[i] * d, out, i * d, d);
        }
        long[] shape = x.shape().clone();
        shape[0] = rows.length;
        return new FloatTensor(shape, out);
    }

    /** Entries {@code rows} of labels (null stays null). */
    public static int[] pick(int[] labels, int[] rows) {
        if (labels == null) {
            return null;
        }
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = labels[rows[i]];
        }
        return out;
    }

    /** For reports: "percentile 95 % bootstrap over the generated samples, B = 200, seed 25". */
    public String describe() {
        return enabled() ? "FD [95 % interval]: percentile bootstrap over the generated samples (reference fixed), B = "
                + replicates + ", seed " + seed + " (replicate r resamples rows from SplitMix64 seeded by seed and r); * = the point lies outside its "
                + "interval (FD near 0 is bias-dominated: the resamples add the upward bias again)"
                : "no bootstrap interval (--bootstrap 0)";
    }
}
