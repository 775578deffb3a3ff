package dev.sfd.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void psdSquareRootSquaresBack() {
        double[][] a = {{4, 1, 0.5}, {1, 3, 0.2}, {0.5, 0.2, 2}};
        double[][] r = SymmetricEigen.sqrtPsd(a);
        double[][] back = FrechetDistance.multiply(r, r);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(a[i][j], back[i][j], 1e-10);
            }
        }
    }

    @Test
    void frechetDistanceOfKnownGaussians() {
        // 1-D: (0 − 1)² + 1 + 4 − 2·sqrt(1·4) = 2
        assertEquals(2.0, FrechetDistance.ofGaussians(new double[] {0}, new double[][] {{1}}, new double[] {1},
                new double[][] {{4}}), 1e-12);
        // commuting covariances: Σ (sqrt(a) − sqrt(b))²
        double fd = FrechetDistance.ofGaussians(new double[] {0, 0}, new double[][] {{1, 0}, {0, 9}},
                new double[] {0, 0}, new double[][] {{4, 0}, {0, 1}});
        assertEquals(1 + 4, fd, 1e-12);
        // samples vs their own distribution: small
        GaussianMixture g = GaussianMixture.single(new double[] {1, -2, 0.5}, 0.7);
        FloatTensor x = g.sample(20_000, 3);
        assertTrue(FrechetDistance.toGaussian(x, g.mean(), g.covariance()) < 0.005);
        assertTrue(FrechetDistance.between(x, g.sample(20_000, 4)) < 0.005);
    }

    @Test
    void slicedWassersteinOfAShift() {
        GaussianMixture g = GaussianMixture.single(new double[] {0, 0}, 1);
        FloatTensor a = g.sample(4000, 1);
        assertEquals(0, SlicedWasserstein.distance(a, a, 32, 1), 1e-12);
        float[] shifted = a.data().clone();
        for (int i = 0; i < shifted.length; i += 2) {
            shifted[i] += 2; // shift by (2, 0): SW² = E[(2·cos θ)²] = 2 in 2-D
        }
        double sw = SlicedWasserstein.distance(a, new FloatTensor(a.shape(), shifted), 2000, 5);
        assertEquals(Math.sqrt(2), sw, 0.05);
    }

    @Test
    void modeCoverageAndLikelihood() {
        Mixture2d data = Mixture2d.ring();
        FloatTensor truth = data.mixture().sample(4000, 9);
        MixtureMetrics.ModeCoverage all = MixtureMetrics.modeCoverage(truth, data.mixture(), 3, 0.5);
        assertEquals(1.0, all.coverage());
        assertTrue(all.onModeFraction() > 0.98);
        FloatTensor oneMode = data.mixture().sample(4000, 9, 0);
        assertEquals(1.0 / 8, MixtureMetrics.modeCoverage(oneMode, data.mixture(), 3, 0.5).coverage());
        FloatTensor blurred = GaussianMixture.single(new double[] {0, 0}, 2).sample(4000, 9);
        assertTrue(MixtureMetrics.meanLogLikelihood(truth, data.mixture())
                > MixtureMetrics.meanLogLikelihood(blurred, data.mixture()) + 1);
    }
}
