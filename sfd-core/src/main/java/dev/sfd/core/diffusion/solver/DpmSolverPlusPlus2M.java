package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;

/**
 * DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2), data-prediction form with λ = −log t: second
 * order multistep, first order at the first step and at the final step. One NFE per step.
 */
public final class DpmSolverPlusPlus2M extends MultistepSolver {

    @Override
    public String name() {
        return "dpm++2m";
    }

    @Override
    FloatTensor run(NoiseModel model, FloatTensor x, double[] t, Condition c, int every,
            java.util.List<FloatTensor> kept) {
        Steps.check(name(), x, t, c);
        int steps = t.length - 1;
        FloatTensor previous = null; // denoised output at t[i−1]
        for (int i = 0; i < steps; i++) {
            FloatTensor denoised = Steps.denoised(x, t[i], Steps.eps(model, x, t[i], c));
            int order = DpmSolverPlusPlusUpdates.orderAt(2, i, steps, t[i + 1]);
            if (order == 1) {
                x = DpmSolverPlusPlusUpdates.first(x, t[i], t[i + 1], denoised);
            } else {
                double hPrev = DpmSolverPlusPlusUpdates.lambda(t[i]) - DpmSolverPlusPlusUpdates.lambda(t[i - 1]);
                x = DpmSolverPlusPlusUpdates.second(x, t[i], t[i + 1], denoised, previous, hPrev);
            }
            previous = denoised;
            if (kept != null && (i + 1) % every == 0) {
                kept.add(x);
            }
        }
        return x;
    }

    @Override
    public int nfe(double[] t) {
        return t.length - 1;
    }
}
