package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.diffusion.mixture.GaussianMixtureNoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

class TrajectoryGeneratorTest {

    private static final Schedule SCHEDULE = new PolynomialSchedule(0.002, 80);

    @Test
    void splitMix64MatchesTheReferenceSequence() {
        // Reference values of SplitMix64 from seed 0 (Vigna's splitmix64.c).
        SplitMix64 r = new SplitMix64(0);
        assertEquals(0xE220A8397B1DCDAFL, r.nextLong());
        assertEquals(0x6E789E6AA1B965F4L, r.nextLong());
        assertEquals(0x06C45D188009454FL, r.nextLong());
    }

    @Test
    void sameSeedGivesTheSameSampleWhateverTheBatch() {
        FloatTensor a = SeededNoise.gaussian(new long[] {5, 6, 7}, new long[] {2, 3}, 80);
        FloatTensor b = SeededNoise.gaussian(new long[] {9, 6}, new long[] {2, 3}, 80);
        assertArrayEquals(a.sample(1), b.sample(1));
        TrajectoryGenerator gen = new TrajectoryGenerator(Mixture2d.ring().noiseModel(),
                new TeacherSolver(Solvers.byName("dpm++3m"), SCHEDULE, 4));
        double[] t = SCHEDULE.timestampsDescending(4);
        TeacherTrajectory big = gen.generate(new long[] {1, 2, 3, 4}, new long[] {2}, t, Condition.labels(0, 1, 2, 3));
        TeacherTrajectory small = gen.generate(new long[] {3}, new long[] {2}, t, Condition.labels(2));
        for (int n = 0; n <= 4; n++) {
            assertArrayEquals(big.pointAt(n).sample(2), small.pointAt(n).sample(0), "x̃_" + n + " of seed 3");
        }
        assertArrayEquals(new long[] {3}, small.seeds());
    }

    @Test
    void teacherTrajectoryFollowsTheExactFlowAtEveryStudentTimestamp() {
        double[] mu = {0.5, -1.0, 0.25, 2.0};
        GaussianMixtureNoiseModel teacher = new GaussianMixtureNoiseModel(GaussianMixture.single(mu, 0.5));
        CountingNoiseModel counted = new CountingNoiseModel(teacher);
        TrajectoryGenerator gen = new TrajectoryGenerator(counted,
                new TeacherSolver(Solvers.byName("dpm++3m"), SCHEDULE, 4));
        double[] t = SCHEDULE.timestampsDescending(4);
        long[] seeds = new long[16];
        for (int i = 0; i < 16; i++) {
            seeds[i] = i + 1;
        }
        TeacherTrajectory traj = gen.generate(seeds, new long[] {4}, t, Condition.none());
        assertEquals(5, traj.points().size());
        assertEquals(16, traj.nfe());
        assertEquals(16, counted.calls());
        assertEquals(traj.pointAt(4), GaussianTestData.start(80)); // x̃_N is the seeded noise
        for (int n = 3; n >= 0; n--) {
            double err = GaussianTestData.rms(traj.pointAt(n), GaussianTestData.exact(traj.pointAt(4), t[0], t[4 - n]));
            System.out.printf("teacher dpm++3m K=4, x̃_%d at t=%.4f: RMS error vs exact %.2e%n", n, t[4 - n], err);
            assertTrue(err < 0.05, "x̃_" + n + " error " + err);
        }
    }
}
