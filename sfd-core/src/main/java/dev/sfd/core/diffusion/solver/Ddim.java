package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;

/**
 * Deterministic DDIM (Song et al. 2021, eq. 12, η = 0) in the VE form: predict
 * {@code x̂_0 = x − t_{n+1}·ε}, then re-noise to {@code x_n = x̂_0 + t_n·ε}. Algebraically this is
 * exactly {@link Euler} (Lu et al. 2022, DPM-Solver §4.1); written in DDIM's own form so a test
 * can show the equality.
 */
public final class Ddim implements Solver {

    @Override
    public String name() {
        return "ddim";
    }

    @Override
    public FloatTensor solve(NoiseModel model, FloatTensor x, double[] t, Condition c) {
        Steps.check(name(), x, t, c);
        for (int i = 0; i + 1 < t.length; i++) {
            FloatTensor eps = Steps.eps(model, x, t[i], c);
            FloatTensor x0 = Steps.denoised(x, t[i], eps); // x̂_0 = x − t_{n+1}·ε
            x = Steps.lin(1, x0, t[i + 1], eps);             // x_n = x̂_0 + t_n·ε
        }
        return x;
    }

    @Override
    public int nfe(double[] t) {
        return t.length - 1;
    }
}
