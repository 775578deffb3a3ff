package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;

/**
 * iPNDM (Zhang &amp; Chen 2023, DEIS §4 "improved PNDM"): explicit Adams–Bashforth on ε in t with
 * the fixed (equal-step) coefficients and a lower-order warm start, up to 4th order:
 * {@code x_n = x_{n+1} + (t_n − t_{n+1})·Σ_j a_j ε_j}. One NFE per step. On unequal steps the fixed
 * coefficients make it effectively second order.
 */
public final class Ipndm implements Solver {

    private static final double[][] COEFFICIENTS = {
        {1},
        {3.0 / 2, -1.0 / 2},
        {23.0 / 12, -16.0 / 12, 5.0 / 12},
        {55.0 / 24, -59.0 / 24, 37.0 / 24, -9.0 / 24},
    };

    @Override
    public String name() {
        return "ipndm";
    }

    @Override
    public FloatTensor solve(NoiseModel model, FloatTensor x, double[] t, Condition c) {
        Steps.check(name(), x, t, c);
        FloatTensor[] history = new FloatTensor[4]; // history[0] = newest ε
        for (int i = 0; i + 1 < t.length; i++) {
            System.arraycopy(history, 0, history, 1, 3);
            history[0] = Steps.eps(model, x, t[i], c);
            double[] a = COEFFICIENTS[Math.min(i, 3)];
            FloatTensor[] terms = new FloatTensor[a.length + 1];
            double[] coef = new double[a.length + 1];
            terms[0] = x;
            coef[0] = 1;
            for (int j = 0; j < a.length; j++) {
                terms[j + 1] = history[j];
                coef[j + 1] = (t[i + 1] - t[i]) * a[j];
            }
            x = Steps.lin(coef, terms);
        }
        return x;
    }

    @Override
    public int nfe(double[] t) {
        return t.length - 1;
    }
}
