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

    /**
     * Integrates over {@code timesDescending} and keeps the state at every {@code every}-th
     * timestamp (index 0, every, 2·every, …, the last; (length − 1) must be a multiple of every).
     * Multistep solvers that override this keep their history across the kept timestamps (one
     * pass); the default restarts the solver at each kept timestamp, like {@link #solve} per piece.
     *
     * @return the kept states, the first being {@code x} itself
     */
    default java.util.List<FloatTensor> solveKeeping(NoiseModel model, FloatTensor x, double[] timesDescending,
            Condition c, int every) {
        int pieces = Steps.pieces(name(), timesDescending, every);
        java.util.List<FloatTensor> kept = new java.util.ArrayList<>();
        kept.add(x);
        for (int p = 0; p < pieces; p++) {
            x = solve(model, x, java.util.Arrays.copyOfRange(timesDescending, p * every, (p + 1) * every + 1), c);
            kept.add(x);
        }
        return kept;
    }

    /** Network evaluations one {@link #solve} call makes on these timestamps. */
    int nfe(double[] timesDescending);
}
