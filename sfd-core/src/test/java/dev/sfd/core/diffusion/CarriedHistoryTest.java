package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.diffusion.mixture.GaussianMixtureNoiseModel;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Teacher trajectories whose multistep history carries across student timestamps
 * ({@link TrajectoryGenerator} with carryHistory): for a one-step solver it changes nothing; for
 * DPM-Solver++(2M/3M) the last point is exactly one solver pass over the K-refined Γ(N), every
 * point costs the same NFE, and on a Gaussian with an exact flow the carried trajectory is closer
 * to the exact solution at t_0 than the restarted one.
 */
class CarriedHistoryTest {

    private static final Schedule SCHEDULE = new PolynomialSchedule(0.002, 80);
    private static final double[] MU = {0.5, -1.0, 0.25, 2.0};

    private static TeacherTrajectory run(String solver, int k, boolean carry, int n) {
        GaussianMixtureNoiseModel teacher = new GaussianMixtureNoiseModel(GaussianMixture.single(MU, 0.5));
        TrajectoryGenerator gen = new TrajectoryGenerator(teacher, new TeacherSolver(Solvers.byName(solver), SCHEDULE, k),
                carry);
        long[] seeds = new long[16];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = i + 1;
        }
        return gen.generate(seeds, new long[] {4}, SCHEDULE.timestampsDescending(n), Condition.none());
    }

    @Test
    void oneStepSolverIsUnchangedByCarrying() {
        TeacherTrajectory a = run("euler", 3, false, 4);
        TeacherTrajectory b = run("euler", 3, true, 4);
        for (int i = 0; i < a.points().size(); i++) {
            assertArrayEquals(a.points().get(i).data(), b.points().get(i).data(), "point " + i);
        }
        assertEquals(a.nfe(), b.nfe());
    }

    @Test
    void carriedMultistepIsOnePassAndMoreAccurate() {
        for (String solver : List.of("dpm++2m", "dpm++3m")) {
            int n = 4;
            int k = 2;
            TeacherTrajectory restarted = run(solver, k, false, n);
            TeacherTrajectory carried = run(solver, k, true, n);
            assertEquals(restarted.nfe(), carried.nfe());
            assertEquals(n * k, carried.nfe()); // one batched NFE per sub-step
            assertArrayEquals(restarted.points().get(0).data(), carried.points().get(0).data()); // x_N
            double[] fine = new PolynomialSchedule(0.002, 80).timestampsDescending(n * k); // Γ(N·K) = refined Γ(N)
            var one = Solvers.byName(solver).solve(new GaussianMixtureNoiseModel(GaussianMixture.single(MU, 0.5)),
                    carried.points().get(0), fine, Condition.none());
            double gap = 0;
            for (int i = 0; i < one.data().length; i++) {
                gap = Math.max(gap, Math.abs(one.data()[i] - carried.last().data()[i]));
            }
            assertTrue(gap < 1e-5, solver + ": carried x̃_0 differs from one pass over Γ(N·K) by " + gap);
            double[] t = SCHEDULE.timestampsDescending(n);
            var exact = GaussianTestData.exact(carried.points().get(0), t[0], t[n]);
            double eRestart = GaussianTestData.rms(restarted.last(), exact);
            double eCarry = GaussianTestData.rms(carried.last(), exact);
            System.out.printf("%s K=%d N=%d: RMS error of x̃_0 vs exact flow, restarted %.3e, carried %.3e%n",
                    solver, k, n, eRestart, eCarry);
            assertTrue(eCarry < eRestart, solver + ": carried " + eCarry + " vs restarted " + eRestart);
        }
    }
}
