package dev.sfd.core.distill.quality;

import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.Solver;
import dev.sfd.core.diffusion.solver.Solvers;
import java.util.Arrays;

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

    /** "heun, 2 steps". */
    public String describe() {
        return solver.name() + ", " + (timestamps.length - 1) + " steps";
    }
}
