package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.diffusion.schedule.LogSnrUniformSchedule;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.schedule.TimeUniformSchedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BadInputTest {

    private static final Schedule SCHEDULE = new PolynomialSchedule(0.002, 80);
    private static final NoiseModel MODEL = Mixture2d.ring().noiseModel();
    private static final FloatTensor X = new FloatTensor(new long[] {2, 2}, new float[] {1, 2, 3, 4});

    private static void failsWith(Executable e, String... fragments) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String f : fragments) {
            assertTrue(ex.getMessage().contains(f), "message '" + ex.getMessage() + "' should mention '" + f + "'");
        }
    }

    @Test
    void shapeMismatches() {
        failsWith(() -> MODEL.epsilon(new FloatTensor(new long[] {2, 3}, new float[6]), new double[] {1, 1},
                Condition.none()), "3 elements per sample", "dimension 2");
        failsWith(() -> MODEL.epsilon(X, new double[] {1}, Condition.none()), "t has 1 entries", "batch 2");
        failsWith(() -> MODEL.epsilon(X, new double[] {1, 1}, Condition.labels(0, 1, 2)), "3 labels", "2 samples");
        failsWith(() -> new FloatTensor(new long[] {2, 2}, new float[3]), "needs 4 elements");
        failsWith(() -> MODEL.epsilon(X, new double[] {1, 1}, Condition.labels(0, 9)), "label 9");
    }

    @Test
    void nonFiniteValues() {
        FloatTensor nan = new FloatTensor(new long[] {1, 2}, new float[] {Float.NaN, 0});
        failsWith(() -> Solvers.byName("euler").solve(MODEL, nan, new double[] {80, 1}, Condition.none()),
                "euler initial state x", "non-finite");
        failsWith(() -> MODEL.epsilon(X, new double[] {Double.NaN, 1}, Condition.none()), "t[0] = NaN");
        failsWith(() -> Solvers.byName("heun").solve(MODEL, X, new double[] {80, Double.POSITIVE_INFINITY},
                Condition.none()), "heun", "timestamp 1");
        failsWith(() -> new PolynomialSchedule(0.002, Double.NaN), "finite");
    }

    @Test
    void stepCountsAndRefinement() {
        failsWith(() -> SCHEDULE.timestamps(0), "N must be >= 1, got 0");
        failsWith(() -> SCHEDULE.refine(SCHEDULE.timestamps(4), 0), "K must be >= 1, got 0");
        failsWith(() -> new TeacherSolver(Solvers.byName("dpm++3m"), SCHEDULE, 0), "K must be >= 1");
        failsWith(() -> Solvers.byName("euler").solve(MODEL, X, new double[] {80}, Condition.none()),
                "at least 2 timestamps");
        failsWith(() -> Solvers.byName("euler").solve(MODEL, X, new double[] {1, 80}, Condition.none()),
                "strictly decreasing");
    }

    @Test
    void timesOutsideTheScheduleRange() {
        failsWith(() -> SCHEDULE.between(100, 1, 4), "t_{n+1} = 100.0", "outside the schedule range", "80.0");
        failsWith(() -> SCHEDULE.between(10, 0.001, 4), "t_n = 0.001", "outside");
        TrajectoryGenerator gen = new TrajectoryGenerator(MODEL, new TeacherSolver(Solvers.byName("euler"), SCHEDULE, 2));
        failsWith(() -> gen.generate(new long[] {1}, new long[] {2}, new double[] {120, 1}, Condition.none()),
                "student timestamp = 120.0", "outside");
        failsWith(() -> gen.generate(new long[] {1}, new long[] {2}, new double[] {1, 10}, Condition.none()),
                "strictly decreasing");
    }

    @Test
    void tMinNotBelowTMax() {
        failsWith(() -> new PolynomialSchedule(80, 80), "t_min must be < t_max", "t_min = 80.0");
        failsWith(() -> new TimeUniformSchedule(5, 1), "t_min must be < t_max");
        failsWith(() -> new LogSnrUniformSchedule(0, 1), "t_min must be > 0");
        failsWith(() -> new PolynomialSchedule(0.1, 10, -1), "ρ");
    }

    @Test
    void unknownSolverNameListsTheKnownOnes() {
        failsWith(() -> Solvers.byName("dpm++4m"), "unknown solver 'dpm++4m'", "euler", "heun", "ddim", "dpm++2m",
                "dpm++3m", "ipndm");
        assertTrue(Solvers.byName("DPMPP3M").name().equals("dpm++3m"));
        assertTrue(Solvers.byName("afs+heun").name().equals("afs+heun"));
    }

    @Test
    void badMixturesAndConditions() {
        failsWith(() -> GaussianMixture.isotropic(new double[] {1}, new double[][] {{0, 0}}, new double[] {0}, null),
                "variance 0.0");
        failsWith(() -> new GaussianMixture(new double[] {1, 1}, new double[][] {{0}}, new double[][] {{1}}, null),
                "2 weights has 1 means");
        failsWith(() -> Condition.labels(-2), "label -2");
        failsWith(() -> new ClassifierFreeGuidance(MODEL, Double.NaN), "ω");
    }
}
