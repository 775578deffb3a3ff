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
}
