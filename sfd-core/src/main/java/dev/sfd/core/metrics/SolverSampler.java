package dev.sfd.core.metrics;

import dev.sfd.core.diffusion.ClassifierFreeGuidance;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.solver.Solver;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.tensor.FloatTensor;

/**
 * A {@link SeededSampler} from a noise model and an ODE solver: x_N = t_max·z(seed) per sample
 * ({@link SeededNoise}), solved down the given descending timestamps, optionally with
 * classifier-free guidance ω (1 = plain conditional model).
 */
public record SolverSampler(NoiseModel model, Solver solver, double[] timesDescending, long[] sampleShape,
        double guidance) implements SeededSampler {

    /** Solver on the EDM polynomial schedule (ρ = 7) with {@code steps} steps from t_max to t_min, no guidance. */
    public static SolverSampler edm(NoiseModel model, Solver solver, int steps, double tMin, double tMax,
            long... sampleShape) {
        return new SolverSampler(model, solver, new PolynomialSchedule(tMin, tMax).timestampsDescending(steps),
                sampleShape, 1.0);
    }

    public SolverSampler withGuidance(double omega) {
        return new SolverSampler(model, solver, timesDescending, sampleShape, omega);
    }

    /** Network evaluations per sample (without the ∅ branch of guidance). */
    public int nfe() {
        return solver.nfe(timesDescending);
    }

    @Override
    public FloatTensor sample(long[] seeds, Condition condition) {
        FloatTensor x = SeededNoise.gaussian(seeds, sampleShape, timesDescending[0]);
        NoiseModel m = guidance == 1.0 ? model : new ClassifierFreeGuidance(model, guidance);
        return solver.solve(m, x, timesDescending, condition);
    }
}
