package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;

/** Euler: {@code x_n = x_{n+1} + (t_n − t_{n+1})·ε(x_{n+1}, t_{n+1})} (SFD.md, PF-ODE dx/dt = ε). First order. */
public final class Euler implements Solver {

    @Override
    public String name() {
        return "euler";
    }

    @Override
    public FloatTensor solve(NoiseModel model, FloatTensor x, double[] t, Condition c) {
        Steps.check(name(), x, t, c);
        for (int i = 0; i + 1 < t.length; i++) {
            FloatTensor eps = Steps.eps(model, x, t[i], c);
            x = Steps.lin(1, x, t[i + 1] - t[i], eps);
        }
        return x;
    }

    @Override
    public int nfe(double[] t) {
        return t.length - 1;
    }
}
