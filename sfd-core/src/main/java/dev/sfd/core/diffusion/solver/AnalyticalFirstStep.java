package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * AFS, the analytical first step (SFD.md; Zhou et al. 2024 "Fast ODE-based sampling", AMED):
 * the first step from t_N uses {@code ε ≈ x_N / sqrt(1 + t_N²)} (data treated as N(0, I)) in an
 * Euler step, costing no NFE; the remaining steps are run by the wrapped solver. NFE = inner NFE
 * on the remaining timestamps (N − 1 for Euler).
 */
public final class AnalyticalFirstStep implements Solver {

    private final Solver rest;

    public AnalyticalFirstStep(Solver rest) {
        this.rest = rest;
    }

    /** The AFS estimate ε̂ = x / sqrt(1 + t²). */
    public static FloatTensor epsilon(FloatTensor x, double t) {
        return Steps.lin(1 / Math.sqrt(1 + t * t), x, 0, x);
    }

    @Override
    public String name() {
        return "afs+" + rest.name();
    }

    @Override
    public FloatTensor solve(NoiseModel model, FloatTensor x, double[] t, Condition c) {
        Steps.check(name(), x, t, c);
        FloatTensor next = Steps.lin(1, x, t[1] - t[0], epsilon(x, t[0])); // Euler step with ε̂, no NFE
        if (t.length == 2) {
            return next;
        }
        return rest.solve(model, next, Arrays.copyOfRange(t, 1, t.length), c);
    }

    @Override
    public int nfe(double[] t) {
        return t.length <= 2 ? 0 : rest.nfe(Arrays.copyOfRange(t, 1, t.length));
    }
}
