package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * A multistep solver: one pass over the timestamps keeps its history of denoised outputs, so
 * {@link #solveKeeping} runs it once over the whole grid (the history carries across the kept
 * timestamps) instead of restarting at each.
 */
abstract class MultistepSolver implements Solver {

    @Override
    public final FloatTensor solve(NoiseModel model, FloatTensor x, double[] t, Condition c) {
        return run(model, x, t, c, t.length - 1, null);
    }

    /** One pass over all of {@code t}: the multistep history carries across the kept timestamps. */
    @Override
    public final List<FloatTensor> solveKeeping(NoiseModel model, FloatTensor x, double[] t, Condition c, int every) {
        Steps.pieces(name(), t, every);
        List<FloatTensor> kept = new ArrayList<>();
        kept.add(x);
        run(model, x, t, c, every, kept);
        return kept;
    }

    /**
     * Solves over all of {@code t}, adding the state after every {@code every} steps to {@code kept}
     * (when not null); returns the final state.
     */
    abstract FloatTensor run(NoiseModel model, FloatTensor x, double[] t, Condition c, int every, List<FloatTensor> kept);
}
