package dev.sfd.core.metrics;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.tensor.FloatTensor;

/**
 * Any sampler under evaluation, as a function: one seed per sample (its initial noise) and a
 * condition of the same batch → samples [n, …]. Teachers with a solver, distilled students and
 * exact samplers are compared through this one shape, on the same {@link EvaluationSet}.
 */
@FunctionalInterface
public interface SeededSampler {

    FloatTensor sample(long[] seeds, Condition condition);
}
