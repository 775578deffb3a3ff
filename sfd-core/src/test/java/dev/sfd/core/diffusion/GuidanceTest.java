package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuidanceTest {

    /** Records every condition the wrapped model sees. */
    static final class Spy implements NoiseModel {
        final NoiseModel inner;
        final List<Condition> seen = new ArrayList<>();

        Spy(NoiseModel inner) {
            this.inner = inner;
        }

        @Override
        public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
            seen.add(c);
            return inner.epsilon(x, t, c);
        }
    }

    private static final FloatTensor X = new FloatTensor(new long[] {3, 2}, new float[] {0.3f, 1.2f, -2f, 0.5f, 1f, -1f});
    private static final double[] T = {0.7, 1.5, 3.0};
    private static final Condition C = Condition.labels(0, 3, 5);

    @Test
    void omegaOneIsExactlyTheConditionalCallAndMakesNoUnconditionalCall() {
        NoiseModel model = Mixture2d.ring().noiseModel();
        Spy spy = new Spy(model);
        CountingNoiseModel counted = new CountingNoiseModel(spy);
        FloatTensor guided = new ClassifierFreeGuidance(counted, 1.0).epsilon(X, T, C);
        assertEquals(model.epsilon(X, T, C), guided); // bit-for-bit
        assertEquals(1, counted.calls());
        assertEquals(3, counted.rows());
        for (int i = 0; i < 3; i++) {
            assertFalse(spy.seen.get(0).labelOf(i) == Condition.NULL_LABEL, "no ∅ row at ω = 1");
        }
    }

    @Test
    void otherOmegaRunsBothBranchesInOneBatchedCall() {
        NoiseModel model = Mixture2d.ring().noiseModel();
        CountingNoiseModel counted = new CountingNoiseModel(model);
        double omega = 3.5;
        FloatTensor guided = new ClassifierFreeGuidance(counted, omega).epsilon(X, T, C);
        assertEquals(1, counted.calls());
        assertEquals(6, counted.rows());
        FloatTensor cond = model.epsilon(X, T, C);
        FloatTensor uncond = model.epsilon(X, T, Condition.none());
        for (int i = 0; i < guided.data().length; i++) {
            assertEquals(omega * cond.data()[i] + (1 - omega) * uncond.data()[i], guided.data()[i], 1e-5);
        }
        assertArrayEquals(uncond.data(), new ClassifierFreeGuidance(model, 0).epsilon(X, T, C).data());
    }

    @Test
    void embeddingGuidanceNeedsAnExplicitNullEmbedding() {
        FloatTensor emb = new FloatTensor(new long[] {3, 4}, new float[12]);
        NoiseModel echo = (x, t, c) -> x;
        assertThrows(IllegalArgumentException.class,
                () -> new ClassifierFreeGuidance(echo, 2).epsilon(X, T, Condition.embedding(emb)));
        Condition nullEmb = Condition.embedding(new FloatTensor(new long[] {1, 4}, new float[4]));
        Spy spy = new Spy(echo);
        new ClassifierFreeGuidance(spy, 2, nullEmb).epsilon(X, T, Condition.embedding(emb));
        assertArrayEquals(new long[] {6, 4}, spy.seen.get(0).embeddingTensor().shape());
    }
}
