package dev.sfd.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** Known answers of the mixture2d evaluation, the Fréchet distance and the evaluation sets. */
class Mixture2dEvaluationTest {

    @Test
    void exactSamplesScoreLikeTheTruthAndACollapsedSetDoesNot() {
        Mixture2dEvaluation exact = Mixture2dEvaluation.ofExactSamples(4000, 3);
        assertTrue(exact.frechetDistance() < 0.01, exact.toString());
        assertEquals(8, exact.modesCovered());
        assertTrue(exact.meanLogLikelihood() > -2.25 && exact.meanLogLikelihood() < -2.05, exact.toString());
        Mixture2dEvaluation collapsed = Mixture2dEvaluation.of(Mixture2d.ring().mixture().sample(2000, 3, 0));
        assertEquals(1, collapsed.modesCovered());
        assertTrue(collapsed.frechetDistance() > 3, collapsed.toString());
        assertTrue(collapsed.slicedWasserstein() > 5 * exact.slicedWasserstein(), collapsed + " vs " + exact);
    }

    @Test
    void frechetDistanceOfASetToItselfIsZero() {
        FloatTensor x = Mixture2d.ring().mixture().sample(1000, 11);
        assertEquals(0, FrechetDistance.between(x, x), 1e-9);
    }

    @Test
    void frechetDistanceOfCommutingGaussiansHasTheClosedForm() {
        // Σ1 = diag(a), Σ2 = diag(b): FD = |μ1−μ2|² + Σ_i (√a_i − √b_i)²
        double[][] c1 = {{4, 0, 0}, {0, 1, 0}, {0, 0, 0.25}};
        double[][] c2 = {{1, 0, 0}, {0, 9, 0}, {0, 0, 0.25}};
        double expected = (1 + 4) + (1 + 4 + 0);
        assertEquals(expected, FrechetDistance.ofGaussians(new double[] {0, 0, 0}, c1, new double[] {1, 2, 0}, c2), 1e-9);
    }

    @Test
    void evaluationSetsAreFixedAndTheSameForEverySampler() {
        EvaluationSet a = EvaluationSet.shapes(8, 4);
        EvaluationSet b = EvaluationSet.shapes(8, 4);
        assertArrayEquals(a.seeds(), b.seeds());
        assertArrayEquals(a.labels(), b.labels());
        assertEquals("red", a.prompts().get(6 * 4));
        long[][] seen = new long[1][];
        SeededSampler recorder = (seeds, c) -> {
            seen[0] = seeds;
            return FloatTensor.zeros(seeds.length, 2);
        };
        EvaluationSet m = EvaluationSet.mixture2d(10);
        assertEquals(10, m.run(recorder, 4).batch());
        assertArrayEquals(java.util.Arrays.copyOfRange(m.seeds(), 8, 10), seen[0]);
        assertEquals(Condition.labels(m.labels()).labelOf(9), 1);
    }
}
