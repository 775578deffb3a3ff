package dev.sfd.core.distill.baselines;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.tensor.FloatTensor;

/**
 * The regression targets of the two baselines, as pure functions of the networks and the state.
 * Both train the student's Euler step {@code x + dt·ε_ψ(x, t_{n+1}, c, N)} against a target with the
 * SFD distance ({@code StudentStepLoss}); they differ in dt and target:
 * <ul>
 *   <li>TD (SFD.md Algorithm 1): dt = t_n − t_{n+1}; target x̃_n = Solver(x_{n+1}, t_{n+1}, t_n, K; θ);</li>
 *   <li>CD (Song et al. 2023): the consistency function f_ψ(x, t) = x + (t_min − t)·ε_ψ(x, t) (the
 *       student's one Euler jump to t_min; f(x, t_min) = x), so dt = t_min − t_{n+1} and the target is
 *       f_{ψ⁻}(x̂_n, t_n) with x̂_n = Solver(x_{n+1}, t_{n+1}, t_n, K; θ) and ψ⁻ the target network.</li>
 * </ul>
 */
public final class BaselineTargets {

    private BaselineTargets() {
    }

    /** TD's target: one teacher Solver(K) step from t_{n+1} to t_n. */
    public static FloatTensor td(NoiseModel teacher, TeacherSolver solver, FloatTensor xNext, double tNext, double tN,
            Condition c) {
        return solver.step(teacher, xNext, tNext, tN, c);
    }

    /** CD's target: the teacher step, then the target network's jump from t_n to t_min. */
    public static FloatTensor cd(NoiseModel teacher, TeacherSolver solver, NoiseModel target, FloatTensor xNext,
            double tNext, double tN, double tMin, Condition c) {
        return consistency(target, solver.step(teacher, xNext, tNext, tN, c), tN, tMin, c);
    }

    /** f(x, t) = x + (t_min − t)·ε(x, t), and x itself at t = t_min (the boundary condition). */
    public static FloatTensor consistency(NoiseModel model, FloatTensor x, double t, double tMin, Condition c) {
        if (t <= tMin * (1 + 1e-12)) {
            return x;
        }
        double[] ts = new double[x.batch()];
        java.util.Arrays.fill(ts, t);
        FloatTensor eps = model.epsilon(x, ts, c);
        float[] out = new float[x.data().length];
        double dt = tMin - t;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (x.data()[i] + dt * eps.data()[i]);
        }
        return new FloatTensor(x.shape().clone(), out);
    }

    /** The student-step increment dt of a method on the interval t_{n+1} → t_n. */
    public static double dt(BaselineMethod method, double tNext, double tN, double tMin) {
        return method == BaselineMethod.CD ? tMin - tNext : tN - tNext;
    }
}
