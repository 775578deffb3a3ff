package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;

/**
 * An ODE solver for the PF-ODE {@code dx/dt = ε(x, t, c)}: a pure function of (model, x,
 * timestamps, condition). It integrates from {@code timesDescending[0]} down to the last
 * timestamp (which may be 0) and returns the final state; multistep solvers keep their history
 * inside one call only. Timestamps come from any {@link dev.sfd.core.diffusion.schedule.Schedule}.
 */
public interface Solver {

    /** Registry name, e.g. "dpm++3m" (see {@link Solvers#byName}). */
    String name();

    /**
     * @param model           the noise predictor ε
     * @param x               state at {@code timesDescending[0]}, batch-first
     * @param timesDescending strictly decreasing noise levels, at least two
     * @param c               condition ({@link Condition#none()} = ∅)
     * @return the state at the last timestamp
     */
    FloatTensor solve(NoiseModel model, FloatTensor x, double[] timesDescending, Condition c);

    /** Network evaluations one {@link #solve} call makes on these timestamps. */
    int nfe(double[] timesDescending);
}
