package dev.sfd.core.distill.quality;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.diffusion.solver.Solver;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A teacher solver configured to spend a given NFE, so teacher and student are compared at equal
 * network cost. Γ(M) from the schedule, then:
 * <ul>
 *   <li>euler, dpm++3m (and the other single-call-per-step solvers): M = NFE;</li>
 *   <li>afs+<i>solver</i>: M = NFE + 1 (the first step is analytic);</li>
 *   <li>heun (2 calls per step): M = ⌊NFE/2⌋ Heun steps on Γ(M), plus for odd NFE a final Euler
 *       step from t_min to 0 (EDM's convention: no corrector on a step ending at 0); NFE 1 is
 *       impossible for Heun and yields no cell.</li>
 * </ul>
 *
 * @param solver     the solver
 * @param timestamps descending time grid it runs on
 */
public record TeacherSampler(Solver solver, double[] timestamps) {

    /** The sampler of {@code solverName} spending exactly {@code nfe} calls, or null if impossible. */
    public static TeacherSampler atNfe(String solverName, int nfe, Schedule schedule) {
        Solver solver = Solvers.byName(solverName);
        double[] t;
        if (solver.name().equals("heun")) {
            int m = nfe / 2;
            if (m < 1) {
                return null;
            }
            t = schedule.timestampsDescending(m);
            if (nfe % 2 == 1) {
                t = Arrays.copyOf(t, t.length + 1); // … t_min → 0: one more (Euler) call
            }
        } else {
            int m = solver.name().startsWith("afs+") ? nfe + 1 : nfe;
            if (m < 1) {
                return null;
            }
            t = schedule.timestampsDescending(m);
        }
        TeacherSampler s = new TeacherSampler(solver, t);
        if (solver.nfe(t) != nfe) {
            throw new IllegalStateException(solverName + " on " + (t.length - 1) + " steps spends " + solver.nfe(t)
                    + " NFE, not " + nfe);
        }
        return s;
    }

    /**
     * Samples the teacher on {@code seeds} (sample i starts from the seeded noise of seeds[i]) and
     * {@code labels} (null = unconditional), {@code chunk} samples per solve.
     */
    public FloatTensor sample(NoiseModel teacher, long[] seeds, int[] labels, long[] sampleShape, int chunk) {
        List<FloatTensor> parts = new ArrayList<>();
        for (int from = 0; from < seeds.length; from += chunk) {
            int to = Math.min(seeds.length, from + chunk);
            Condition c = labels == null ? Condition.none() : Condition.labels(Arrays.copyOfRange(labels, from, to));
            FloatTensor xN = SeededNoise.gaussian(Arrays.copyOfRange(seeds, from, to), sampleShape, timestamps[0]);
            parts.add(solver.solve(teacher, xN, timestamps, c));
        }
        return FloatTensor.concat(parts);
    }

    /** "heun, 2 steps". */
    public String describe() {
        return solver.name() + ", " + (timestamps.length - 1) + " steps";
    }
}
