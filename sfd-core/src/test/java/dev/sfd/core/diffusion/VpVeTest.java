package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.diffusion.schedule.DiscreteVpSchedule;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class VpVeTest {

    @Test
    void sigmaAndAlphaBarRoundTrip() {
        for (double a : new double[] {0.999, 0.9, 0.5, 0.1, 0.0047}) {
            assertEquals(a, VpVe.alphaBarOfSigma(VpVe.sigmaOfAlphaBar(a)), 1e-12);
        }
        for (double s : new double[] {0.002, 0.1, 1, 14.61, 80}) {
            assertEquals(s, VpVe.sigmaOfAlphaBar(VpVe.alphaBarOfSigma(s)), 1e-9 * s);
        }
    }

    @Test
    void statesRoundTripBetweenVpAndVe() {
        FloatTensor xVe = SeededNoise.gaussian(new long[] {1, 2, 3}, new long[] {4, 2, 2}, 5);
        double[] sigma = {0.03, 1.0, 14.6};
        FloatTensor back = VpVe.veFromVp(VpVe.vpFromVe(xVe, sigma), sigma);
        for (int i = 0; i < xVe.data().length; i++) {
            assertEquals(xVe.data()[i], back.data()[i], 1e-5 * Math.abs(xVe.data()[i]) + 1e-6);
        }
        // x_VE = x_VP / sqrt(ᾱ)
        FloatTensor xVp = VpVe.vpFromVe(xVe, sigma);
        double a = VpVe.alphaBarOfSigma(sigma[2]);
        int d = xVe.sampleSize();
        assertEquals(xVe.data()[2 * d], xVp.data()[2 * d] / Math.sqrt(a), 1e-4);
    }

    @Test
    void stableDiffusionTableAndTimestepInterpolation() {
        AlphaBarTable sd = AlphaBarTable.stableDiffusion();
        assertEquals(1000, sd.size());
        assertEquals(0.0292, sd.sigmaMin(), 1e-3);
        assertEquals(14.61, sd.sigmaMax(), 0.01);
        for (int k : new int[] {0, 1, 250, 999}) {
            assertEquals(k, sd.timestepOf(sd.sigma(k)), 1e-9);
        }
        for (double u : new double[] {0.5, 17.25, 500.9, 998.999}) {
            assertEquals(u, sd.timestepOf(sd.sigmaAt(u)), 1e-9);
        }
        DiscreteVpSchedule schedule = new DiscreteVpSchedule(sd, 0.1, sd.sigmaMax());
        double[] t = schedule.timestamps(4);
        assertEquals(0.1, t[0]);
        assertEquals(sd.sigmaMax(), t[4]);
        // equal steps in the discrete timestep
        double u0 = sd.timestepOf(t[0]);
        double step = (999 - u0) / 4;
        for (int i = 0; i <= 4; i++) {
            assertEquals(u0 + i * step, sd.timestepOf(t[i]), 1e-8);
        }
    }
}
