package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.tensor.FloatTensor;

/**
 * The teacher step {@code Solver(x, t_{n+1}, t_n, K; θ)} of SFD.md: K sub-steps of {@code solver}
 * from student timestamp t_{n+1} down to t_n, on the schedule's K-times refined grid
 * ({@link Schedule#between}). Reference recipe: DPM-Solver++(3M), K = 4, polynomial ρ = 7.
 */
public record TeacherSolver(Solver solver, Schedule schedule, int k) {

    public TeacherSolver {
        if (solver == null || schedule == null) {
            throw new IllegalArgumentException("teacher solver needs a solver and a schedule");
        }
        if (k < 1) {
            throw new IllegalArgumentException("teacher refinement K must be >= 1, got " + k);
        }
    }

    /** x̃_n from x̃_{n+1}: K sub-steps from t_{n+1} to t_n. */
    public FloatTensor step(NoiseModel model, FloatTensor x, double tNext, double tN, Condition c) {
        return solver.solve(model, x, schedule.between(tNext, tN, k), c);
    }

    /** Network evaluations of one {@link #step} between these two timestamps. */
    public int nfe(double tNext, double tN) {
        return solver.nfe(schedule.between(tNext, tN, k));
    }

    /**
     * x̃ at every student timestamp, from {@code x} at {@code studentTimesDescending[0]}: with
     * {@code carry}, one pass of the solver over the K-refined grid of all intervals (a multistep
     * solver keeps its history across student timestamps); without, {@link #step} per interval
     * (the solver restarts at each student timestamp).
     */
    public java.util.List<FloatTensor> points(NoiseModel model, FloatTensor x, double[] studentTimesDescending,
            Condition c, boolean carry) {
        double[] t = studentTimesDescending;
        if (!carry) {
            java.util.List<FloatTensor> out = new java.util.ArrayList<>();
            out.add(x);
            for (int i = 0; i + 1 < t.length; i++) {
                x = step(model, x, t[i], t[i + 1], c);
                out.add(x);
            }
            return out;
        }
        double[] grid = new double[(t.length - 1) * k + 1];
        for (int i = 0; i + 1 < t.length; i++) {
            double[] seg = schedule.between(t[i], t[i + 1], k);
            System.arraycopy(seg, 0, grid, i * k, k + 1); // seg[k] = t[i+1], overwritten by the next piece's seg[0]
        }
        return solver.solveKeeping(model, x, grid, c, k);
    }
}
