package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.metrics.SampleStatistics;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class GaussianMixtureTest {

    private static final GaussianMixture MIX = new GaussianMixture(new double[] {1, 2, 3},
            new double[][] {{0, 1, -1}, {2, 0, 0.5}, {-1, -1, 1}},
            new double[][] {{0.1, 0.2, 0.3}, {0.5, 0.05, 0.2}, {0.3, 0.3, 0.3}}, new int[] {0, 1, 1});

    @Test
    void epsilonIsMinusTTimesTheScoreOfTheNoisedMixture() {
        double[] x = {0.4, -0.3, 0.9};
        double h = 1e-5;
        for (double t : new double[] {0.05, 0.5, 3}) {
            for (int label : new int[] {Condition.NULL_LABEL, 1}) {
                double[] eps = new double[3];
                MIX.epsilon(x, t, label, eps);
                for (int d = 0; d < 3; d++) {
                    double[] xp = x.clone();
                    double[] xm = x.clone();
                    xp[d] += h;
                    xm[d] -= h;
                    double score = (MIX.logDensity(xp, t, label) - MIX.logDensity(xm, t, label)) / (2 * h);
                    assertEquals(-t * score, eps[d], 1e-6, "t=" + t + " label=" + label + " d=" + d);
                }
                double[] mean = MIX.posteriorMean(x, t, label);
                for (int d = 0; d < 3; d++) {
                    assertEquals((x[d] - mean[d]) / t, eps[d], 1e-9); // ε = (x − E[x0|xt]) / t
                }
            }
        }
    }

    @Test
    void densityIntegratesToOneIn1d() {
        GaussianMixture m = GaussianMixture.isotropic(new double[] {1, 3}, new double[][] {{-1}, {2}},
                new double[] {0.3, 0.8}, null);
        double sum = 0;
        for (double x = -12; x <= 12; x += 1e-3) {
            sum += Math.exp(m.logDensity(new double[] {x}, 1.5, Condition.NULL_LABEL)) * 1e-3;
        }
        assertEquals(1.0, sum, 1e-6);
    }

    @Test
    void samplesHaveTheMixtureMomentsAndLabelsSelectComponents() {
        FloatTensor x = MIX.sample(40_000, 11);
        double[] mean = SampleStatistics.mean(x);
        double[][] cov = SampleStatistics.covariance(x);
        for (int i = 0; i < 3; i++) {
            assertEquals(MIX.mean()[i], mean[i], 0.02);
            for (int j = 0; j < 3; j++) {
                assertEquals(MIX.covariance()[i][j], cov[i][j], 0.03);
            }
        }
        FloatTensor only0 = MIX.sample(5000, 12, 0);
        assertEquals(1.0, SampleStatistics.mean(only0)[1], 0.02);
    }
}
