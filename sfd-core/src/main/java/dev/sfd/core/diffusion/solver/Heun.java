package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;

/**
 * Heun's 2nd-order method as in EDM (Karras et al. 2022, Algorithm 1, deterministic): an Euler
 * predictor, then the trapezoid corrector {@code x_n = x_{n+1} + h·(ε_{n+1} + ε'_n)/2}; no
 * corrector on a step that ends at t = 0 (ε is not evaluated there).
 */
public final class Heun implements Solver {

    @Override
    public String name() {
        return "heun";
    }

    @Override
    public FloatTensor solve(NoiseModel model, FloatTensor x, double[] t, Condition c) {
        Steps.check(name(), x, t, c);
        for (int i = 0; i + 1 < t.length; i++) {
            double h = t[i + 1] - t[i];
            FloatTensor eps = Steps.eps(model, x, t[i], c);
            FloatTensor predictor = Steps.lin(1, x, h, eps);
            if (t[i + 1] == 0) {
                x = predictor;
                continue;
            }
            FloatTensor epsNext = Steps.eps(model, predictor, t[i + 1], c);
            x = Steps.lin(new double[] {1, h / 2, h / 2}, x, eps, epsNext);
        }
        return x;
    }

    @Override
    public int nfe(double[] t) {
        return 2 * (t.length - 1) - (t[t.length - 1] == 0 ? 1 : 0);
    }
}
