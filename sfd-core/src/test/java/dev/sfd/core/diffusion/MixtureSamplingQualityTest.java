package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.diffusion.mixture.GaussianMixtureNoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.Solver;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.metrics.FrechetDistance;
import dev.sfd.core.metrics.MixtureMetrics;
import dev.sfd.core.metrics.SlicedWasserstein;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/**
 * Samples of the exact mixture2d teacher (8-mode ring) at high and low NFE against the true
 * distribution. Bounds are stated relative to the same metrics of fresh true samples of the same size
 * (the sampling-noise floor): FD (to the mixture's exact mean/covariance) and SW (to 20 000 true
 * samples, 64 seeded projections).
 */
class MixtureSamplingQualityTest {

    private static final int SAMPLES = 2000;
    private static final Schedule SCHEDULE = new PolynomialSchedule(0.002, 80);

    record Row(String label, int nfe, double fd, double sw, double coverage, double onMode, double logLik) {
    }

    private static Row measure(String label, int nfe, FloatTensor x, GaussianMixture mix, FloatTensor reference) {
        MixtureMetrics.ModeCoverage cov = MixtureMetrics.modeCoverage(x, mix, 3.0, 0.5);
        return new Row(label, nfe, FrechetDistance.toGaussian(x, mix.mean(), mix.covariance()),
                SlicedWasserstein.distance(x, reference, 64, 7), cov.coverage(), cov.onModeFraction(),
                MixtureMetrics.meanLogLikelihood(x, mix));
    }

    private static Row sample(String solverName, int steps, GaussianMixtureNoiseModel model, FloatTensor reference) {
        long[] seeds = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            seeds[i] = 1000 + i;
        }
        double[] t = withFinalZero(SCHEDULE.timestampsDescending(steps));
        FloatTensor xN = SeededNoise.gaussian(seeds, new long[] {2}, t[0]);
        CountingNoiseModel counted = new CountingNoiseModel(model);
        Solver solver = Solvers.byName(solverName);
        FloatTensor x = solver.solve(counted, xN, t, Condition.none());
        return measure(solverName + " " + (t.length - 1) + " steps", (int) counted.calls(), x, model.mixture(), reference);
    }

    /** EDM-style: Γ(N) followed by t = 0 (Heun makes no corrector on that last step: 35 NFE for 18 steps). */
    private static double[] withFinalZero(double[] descending) {
        double[] t = java.util.Arrays.copyOf(descending, descending.length + 1);
        t[descending.length] = 0;
        return t;
    }

    @Test
    void highNfeMatchesTheDataAndLowNfeEulerIsWorse() {
        Mixture2d data = Mixture2d.ring();
        GaussianMixture mix = data.mixture();
        GaussianMixtureNoiseModel model = data.noiseModel();
        FloatTensor reference = mix.sample(20_000, 42);
        Row truth = measure("true samples", 0, mix.sample(SAMPLES, 4242), mix, reference);
        Row heun = sample("heun", 17, model, reference); // 18 steps incl. the step to 0
        Row dpm = sample("dpm++3m", 34, model, reference);
        Row euler2 = sample("euler", 1, model, reference);
        Row euler3 = sample("euler", 2, model, reference);
        Row dpm3 = sample("dpm++3m", 2, model, reference);

        System.out.println("mixture2d (8-mode ring), " + SAMPLES + " samples, " + SCHEDULE.name());
        System.out.printf("%-16s %4s %9s %9s %9s %9s %9s%n", "sampler", "NFE", "FD", "SW", "coverage", "on-mode", "log-lik");
        for (Row r : new Row[] {truth, heun, dpm, euler2, euler3, dpm3}) {
            System.out.printf("%-16s %4d %9.4f %9.4f %9.3f %9.3f %9.3f%n", r.label(), r.nfe(), r.fd(), r.sw(),
                    r.coverage(), r.onMode(), r.logLik());
        }

        assertEquals(35, heun.nfe());
        // High NFE: within a small multiple of the sampling-noise floor of fresh true samples.
        assertTrue(heun.fd() < Math.max(3 * truth.fd(), 0.02), "heun FD " + heun.fd() + " vs floor " + truth.fd());
        assertTrue(heun.sw() < 2 * truth.sw() + 0.01, "heun SW " + heun.sw() + " vs floor " + truth.sw());
        assertTrue(dpm.fd() < Math.max(3 * truth.fd(), 0.02), "dpm++3m FD " + dpm.fd());
        assertEquals(1.0, heun.coverage());
        assertTrue(heun.onMode() > 0.95, "heun on-mode fraction " + heun.onMode());
        // Low-NFE Euler: clearly worse on every measure.
        for (Row low : new Row[] {euler2, euler3}) {
            assertTrue(low.fd() > 10 * heun.fd() && low.fd() > 0.1, low.label() + " FD " + low.fd());
            assertTrue(low.sw() > 3 * heun.sw(), low.label() + " SW " + low.sw());
            assertTrue(low.logLik() < heun.logLik() - 0.5, low.label() + " log-lik " + low.logLik());
        }
    }

    @Test
    void aPromptNamingAModeSelectsIt() {
        Mixture2d data = Mixture2d.ring();
        assertEquals(1, data.labelForPrompt("a dot in the North-East"));
        assertEquals(0, data.labelForPrompt("north"));
        assertEquals(5, data.labelForPrompt("something blue please"));
        assertEquals(Condition.NULL_LABEL, data.labelForPrompt("anything at all"));
        // Conditional sampling lands on the named mode only.
        int label = data.labelForPrompt("red");
        long[] seeds = new long[200];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = i;
        }
        double[] t = withFinalZero(SCHEDULE.timestampsDescending(17));
        FloatTensor x = Solvers.byName("heun").solve(data.noiseModel(), SeededNoise.gaussian(seeds, new long[] {2}, 80),
                t, Condition.repeatLabel(label, seeds.length));
        MixtureMetrics.ModeCoverage cov = MixtureMetrics.modeCoverage(x, data.mixture(), 3, 0.5);
        String counts = java.util.Arrays.toString(cov.counts());
        assertEquals(cov.onModeFraction() * seeds.length, cov.counts()[label], 1e-9, "no sample on another mode: " + counts);
        assertTrue(cov.onModeFraction() > 0.95, "samples on the named mode: " + counts);
    }
}
