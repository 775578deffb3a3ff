package dev.sfd.core.diffusion.trajectory;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.CountingNoiseModel;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;
import java.util.List;

/**
 * Generates teacher trajectories (SFD.md, Algorithm 2 with the teacher side precomputed): draw
 * {@code x_N ~ N(0, t_N² I)} per sample from its own seed, then {@code x̃_n = Solver(x̃_{n+1},
 * t_{n+1}, t_n, K)} for n = N−1 … 0, keeping every x̃_n.
 */
public final class TrajectoryGenerator {

    private final NoiseModel teacher;
    private final TeacherSolver solver;
    private final boolean carryHistory;

    /** A generator whose solver restarts at each student timestamp (the reference). */
    public TrajectoryGenerator(NoiseModel teacher, TeacherSolver solver) {
        this(teacher, solver, false);
    }

    /**
     * @param carryHistory one solver pass over all intervals (multistep history carried across
     *                     student timestamps) instead of a restart per interval
     */
    public TrajectoryGenerator(NoiseModel teacher, TeacherSolver solver, boolean carryHistory) {
        this.teacher = teacher;
        this.solver = solver;
        this.carryHistory = carryHistory;
    }

    /**
     * @param seeds                  one seed per sample (the batch size)
     * @param sampleShape            shape of one sample, e.g. {2} or {4, 64, 64}
     * @param studentTimesDescending t_N > … > t_0, inside the teacher schedule's range
     * @param condition              condition for the batch
     */
    public TeacherTrajectory generate(long[] seeds, long[] sampleShape, double[] studentTimesDescending,
            Condition condition) {
        double[] t = studentTimesDescending;
        if (t == null || t.length < 2) {
            throw new IllegalArgumentException("need at least 2 student timestamps (N >= 1), got "
                    + (t == null ? "null" : Arrays.toString(t)));
        }
        for (int i = 1; i < t.length; i++) {
            if (!(t[i] < t[i - 1])) {
                throw new IllegalArgumentException("student timestamps must be strictly decreasing, got "
                        + Arrays.toString(t));
            }
        }
        for (double ti : t) {
            solver.schedule().requireInRange(ti, "student timestamp");
        }
        condition.requireBatch(seeds.length, "trajectory condition");
        CountingNoiseModel counted = new CountingNoiseModel(teacher);
        FloatTensor x = SeededNoise.gaussian(seeds, sampleShape, t[0]); // x_N ~ N(0, t_N² I)
        // x̃_n = Solver(x̃_{n+1}, t_{n+1}, t_n, K) for n = N−1 … 0 (history carried across n if configured)
        List<FloatTensor> points = solver.points(counted, x, t, condition, carryHistory);
        return new TeacherTrajectory(seeds, t, points, condition, solver.solver().name(), solver.k(), counted.calls());
    }
}
