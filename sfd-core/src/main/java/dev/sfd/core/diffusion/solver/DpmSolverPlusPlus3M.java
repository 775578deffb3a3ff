package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;

/**
 * DPM-Solver++(3M) (Lu et al. 2022, multistep third order), data-prediction form with λ = −log t:
 * orders 1, 2, 3, …, 3, 2, 1 (lower order at the first and final steps). One NFE per step. The
 * reference SFD recipe's teacher solver (with K = 4).
 */
public final class DpmSolverPlusPlus3M extends MultistepSolver {

    @Override
    public String name() {
        return "dpm++3m";
    }

    @Override
    FloatTensor run(NoiseModel model, FloatTensor x, double[] t, Condition c, int every,
            java.util.List<FloatTensor> kept) {
        Steps.check(name(), x, t, c);
        int steps = t.length - 1;
        FloatTensor m1 = null; // denoised at t[i−1]
        FloatTensor m2 = null; // denoised at t[i−2]
        for (int i = 0; i < steps; i++) {
            FloatTensor m0 = Steps.denoised(x, t[i], Steps.eps(model, x, t[i], c));
            int order = DpmSolverPlusPlusUpdates.orderAt(3, i, steps, t[i + 1]);
            if (order == 1) {
                x = DpmSolverPlusPlusUpdates.first(x, t[i], t[i + 1], m0);
            } else if (order == 2) {
                x = DpmSolverPlusPlusUpdates.second(x, t[i], t[i + 1], m0, m1, h(t, i - 1));
            } else {
                x = DpmSolverPlusPlusUpdates.third(x, t[i], t[i + 1], m0, m1, m2, h(t, i - 1), h(t, i - 2));
            }
            m2 = m1;
            m1 = m0;
            if (kept != null && (i + 1) % every == 0) {
                kept.add(x);
            }
        }
        return x;
    }

    /** h_j = λ(t[j+1]) − λ(t[j]), the step in λ from timestamp j to j+1. */
    private static double h(double[] t, int j) {
        return DpmSolverPlusPlusUpdates.lambda(t[j + 1]) - DpmSolverPlusPlusUpdates.lambda(t[j]);
    }

    @Override
    public int nfe(double[] t) {
        return t.length - 1;
    }
}
