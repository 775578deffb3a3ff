package dev.sfd.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class ManifoldMetricsTest {

    private static FloatTensor points(int d, double... v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return new FloatTensor(new long[] {v.length / d, d}, f);
    }

    private static FloatTensor gaussian(int n, int d, long seed, double shift) {
        SplitMix64 r = new SplitMix64(seed);
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (r.nextGaussian() + shift);
        }
        return new FloatTensor(new long[] {n, d}, f);
    }

    @Test
    void handCheckedOneDimensionalCase() {
        // real {0, 1, 3}, k = 1: radii 1, 1, 2 -> balls [-1, 1], [0, 2], [1, 5]
        // fake {0.5, 5.5, 10, 11}, k = 1: radii 5, 5, 1, 1
        // precision: only 0.5 is in a real ball (in two) -> 1/4; density (2 + 0 + 0 + 0)/(1·4) = 0.5
        // recall: 0, 1, 3 all within 5 of 0.5 or 5.5 -> 1; coverage: nearest fakes 0.5 (0.5 <= 1),
        // 0.5 (0.5 <= 1), 5.5 (2.5 > 2) -> 2/3
        ManifoldMetrics.Result r = ManifoldMetrics.of(points(1, 0, 1, 3), points(1, 0.5, 5.5, 10, 11), 1);
        assertEquals(0.25, r.precision(), 1e-12);
        assertEquals(1.0, r.recall(), 1e-12);
        assertEquals(0.5, r.density(), 1e-12);
        assertEquals(2.0 / 3, r.coverage(), 1e-12);
        assertArrayEquals(new double[] {1, 1, 2}, ManifoldMetrics.kthNeighbourRadii(points(1, 0, 1, 3), 1), 1e-12);
    }

    @Test
    void handCheckedTwoDimensionalCase() {
        // real: the corners of the unit square, k = 2: every radius is 1 (two neighbours at 1, one at √2)
        // fake: (0.5, 0.5) (inside all four balls: distance √0.5), (3, 0) (distance 2 from (1,0): outside), (0, 1.9)
        // (0.9 from (0, 1): inside one ball). k = 2 radii of fake: (0.5,0.5) -> 2nd nearest of {2.55, 1.49} = 2.55;
        // (3,0) -> 3.55 (to (0,1.9)); (0,1.9) -> 3.55 (to (3,0)).
        // precision 2/3; density (4 + 0 + 1)/(2·3) = 5/6; coverage: every corner's nearest fake is (0.5, 0.5) at 0.707 -> 1;
        // recall: every corner lies within 2.55 of (0.5, 0.5) -> 1
        FloatTensor real = points(2, 0, 0, 1, 0, 0, 1, 1, 1);
        FloatTensor fake = points(2, 0.5, 0.5, 3, 0, 0, 1.9);
        ManifoldMetrics.Result r = ManifoldMetrics.of(real, fake, 2);
        assertEquals(2.0 / 3, r.precision(), 1e-12);
        assertEquals(5.0 / 6, r.density(), 1e-12);
        assertEquals(1.0, r.coverage(), 1e-12);
        assertEquals(1.0, r.recall(), 1e-12);
        // moved far away, the point (0.5, 0.5) takes the only ball with it: the corners are no longer recalled or covered
        ManifoldMetrics.Result far = ManifoldMetrics.of(real, points(2, 10.5, 0.5, 3, 0, 0, 1.9), 2);
        assertEquals(1.0 / 3, far.precision(), 1e-12);
        assertEquals(0.25, far.coverage(), 1e-12); // only (0, 1) has a fake (0, 1.9) within its radius 1
    }

    @Test
    void identicalSetsArePerfect() {
        FloatTensor a = gaussian(400, 3, 11, 0);
        ManifoldMetrics.Result r = ManifoldMetrics.of(a, a, ManifoldMetrics.DEFAULT_K);
        assertEquals(1.0, r.precision(), 0);
        assertEquals(1.0, r.recall(), 0);
        assertEquals(1.0, r.coverage(), 0);
        // each real ball holds its own centre and its k neighbours (no ties among Gaussian draws): (k + 1)/k
        assertEquals(6.0 / 5, r.density(), 1e-12);
    }

    @Test
    void independentDrawsOfOneDistributionHaveDensityNearOne() {
        ManifoldMetrics.Result r = ManifoldMetrics.of(gaussian(2000, 2, 1, 0), gaussian(2000, 2, 2, 0), 5);
        assertEquals(1.0, r.density(), 0.1, r.toString());
        assertTrue(r.precision() > 0.9 && r.recall() > 0.9 && r.coverage() > 0.9, r.toString());
    }

    @Test
    void aFarSetScoresZero() {
        ManifoldMetrics.Result r = ManifoldMetrics.of(gaussian(300, 4, 3, 0), gaussian(300, 4, 4, 100), 5);
        assertEquals(0.0, r.precision(), 0);
        assertEquals(0.0, r.recall(), 0);
        assertEquals(0.0, r.density(), 0);
        assertEquals(0.0, r.coverage(), 0);
    }

    @Test
    void precisionOfAAgainstBIsRecallOfBAgainstA() {
        FloatTensor a = gaussian(500, 2, 5, 0);
        FloatTensor b = gaussian(700, 2, 6, 0.8);
        ManifoldMetrics.Result ab = ManifoldMetrics.of(a, b, 5);
        ManifoldMetrics.Result ba = ManifoldMetrics.of(b, a, 5);
        assertEquals(ab.precision(), ba.recall(), 0);
        assertEquals(ab.recall(), ba.precision(), 0);
        assertTrue(ab.precision() > 0.2 && ab.precision() < 1, ab.toString()); // a real overlap, not a trivial value
    }

    @Test
    void aModeCollapsedSamplerKeepsPrecisionButLosesRecallAndCoverage() {
        var mixture = Mixture2d.ring().mixture();
        FloatTensor real = mixture.sample(2000, 1);
        FloatTensor collapsed = mixture.sample(2000, 2, mixture.label(0)); // the modes of one label only
        ManifoldMetrics.Result r = ManifoldMetrics.of(real, collapsed, 5);
        assertTrue(r.precision() > 0.9, r.toString());
        assertTrue(r.recall() < 0.6 && r.coverage() < 0.6, r.toString());
    }

    @Test
    void tooFewPointsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ManifoldMetrics.of(points(1, 0, 1, 2), points(1, 0, 1, 2, 3, 4, 5, 6), 5));
        assertTrue(e.getMessage().contains("real set has 3 points"), e.getMessage());
    }
}
