package dev.sfd.core.distill.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.metrics.FrechetDistance;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The percentile bootstrap of FD on synthetic Gaussians with a known FD (samples N(μ, I) against the
 * exact N(0, I): FD = |μ|² = 1.25) and on the mixture2d metric.
 */
class BootstrapTest {

    private static final double[] MU = {1.0, 0.5};
    private static final double KNOWN_FD = 1.25;

    /** n samples of N(μ, I) in 2-D from a recorded seed. */
    private static FloatTensor gaussian(int n, long seed) {
        SplitMix64 rng = new SplitMix64(seed);
        float[] x = new float[2 * n];
        for (int i = 0; i < n; i++) {
            x[2 * i] = (float) (MU[0] + rng.nextGaussian());
            x[2 * i + 1] = (float) (MU[1] + rng.nextGaussian());
        }
        return new FloatTensor(new long[] {n, 2}, x);
    }

    private static Bootstrap.Statistic fdToStandardNormal(FloatTensor x) {
        double[][] identity = {{1, 0}, {0, 1}};
        return rows -> FrechetDistance.toGaussian(Bootstrap.pick(x, rows), new double[2], identity);
    }

    @Test
    void theIntervalHoldsThePointAndTheKnownFdAndNarrowsWhenSamplesQuadruple() {
        Bootstrap b = new Bootstrap(200, 25);
        Interval small = b.interval(500, fdToStandardNormal(gaussian(500, 11)));
        Interval large = b.interval(2000, fdToStandardNormal(gaussian(2000, 11)));
        for (Interval i : new Interval[] {small, large}) {
            assertTrue(i.contains(i.point()), "point inside: " + i);
            assertTrue(i.contains(KNOWN_FD), "known FD inside: " + i);
            assertTrue(i.low() < i.point() && i.point() < i.high(), "a real interval: " + i);
        }
        // the width goes as 1/√n: a quarter of the samples, twice the width (allowing for the noise of B = 200)
        double ratio = large.width() / small.width();
        assertTrue(ratio > 0.35 && ratio < 0.65, "width ratio at 4× samples " + ratio + ": " + small + " vs " + large);
    }

    @Test
    void anFdNearZeroIsBiasDominatedAndFlagged() {
        // samples of exactly N(0, I) against N(0, I): the true FD is 0, the estimate is small and positive, and the
        // resamples (rows repeated) add the upward bias again: the percentile interval sits above the point
        SplitMix64 rng = new SplitMix64(4);
        float[] z = new float[2 * 300];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        FloatTensor x = new FloatTensor(new long[] {300, 2}, z);
        Interval i = new Bootstrap(200, 25).interval(300, fdToStandardNormal(x));
        assertTrue(i.point() > 0 && i.point() < 0.05, i.toString());
        assertTrue((i.low() + i.high()) / 2 > 2 * i.point(), "bias-dominated: " + i);
        Interval above = new Interval(0.0046, 0.0048, 0.0103, 50, 25); // the mixture2d teacher at 800 samples
        assertTrue(above.pointOutside());
        assertEquals("0.0046 [0.0048, 0.0103]*", above.format(v -> String.format(java.util.Locale.ROOT, "%.4f", v)));
        assertTrue(!i.pointOutside() && !i.format(String::valueOf).endsWith("*"), i.toString());
    }

    @Test
    void theResamplesAreFixedByTheRecordedSeed() {
        FloatTensor x = gaussian(400, 3);
        Interval a = new Bootstrap(100, 7).interval(400, fdToStandardNormal(x));
        Interval again = new Bootstrap(100, 7).interval(400, fdToStandardNormal(x));
        Interval other = new Bootstrap(100, 8).interval(400, fdToStandardNormal(x));
        assertEquals(a, again);
        assertEquals(a.point(), other.point());
        assertNotEquals(a.low(), other.low());
        assertEquals(7, a.seed());
        assertEquals(100, a.replicates());
    }

    @Test
    void percentileInterpolatesBetweenOrderStatistics() {
        double[] sorted = new double[101];
        Arrays.setAll(sorted, i -> i);
        assertEquals(2.5, Bootstrap.percentile(sorted, 0.025), 1e-12);
        assertEquals(97.5, Bootstrap.percentile(sorted, 0.975), 1e-12);
        assertEquals("17.2 [15.9, 18.8]", new Interval(17.2, 15.9, 18.8, 200, 25).format(v -> String.valueOf(v)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Bootstrap(5, 1));
        assertTrue(e.getMessage().contains("--bootstrap 5") && e.getMessage().contains("0 (off)"), e.getMessage());
    }

    @Test
    void mixtureResampleAtAllRowsIsTheReportedFd() {
        MixtureQuality q = new MixtureQuality(Mixture2d.ring().mixture());
        FloatTensor x = Mixture2d.ring().mixture().sample(800, 5);
        int[] labels = new int[800];
        Arrays.setAll(labels, i -> i % 8);
        // exact samples with balanced labels: conditional FD needs samples drawn per label; here the labels are
        // arbitrary, so the FD is large, which is fine: the check is that both code paths agree
        int[] all = new int[800];
        Arrays.setAll(all, i -> i);
        assertEquals(q.measure(x, labels)[0], q.primary(x, labels).of(all), 1e-12);
        Interval i = new Bootstrap(50, 1).interval(800, q.primary(x, labels));
        assertTrue(i.contains(i.point()), i.toString());
    }
}
