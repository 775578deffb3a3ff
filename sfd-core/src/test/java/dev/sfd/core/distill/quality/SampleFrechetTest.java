package dev.sfd.core.distill.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.metrics.FrechetDistance;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The n×n form of the Fréchet distance equals the d×d one when samples have more dims than there are samples. */
class SampleFrechetTest {

    @Test
    void gramFormMatchesTheCovarianceForm() {
        Random r = new Random(5);
        FloatTensor a = random(r, 20, 40, 0);
        FloatTensor b = random(r, 25, 40, 0.3);
        double direct = FrechetDistance.between(a, b);
        double gram = SampleFrechet.between(a, b);
        assertTrue(direct > 0.1, "distinct sets");
        assertEquals(direct, gram, 1e-6 * Math.max(1, direct));
        assertEquals(0, SampleFrechet.between(a, a), 1e-6);
    }

    private static FloatTensor random(Random r, int n, int d, double shift) {
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (1 + (i % d) * 0.05) + shift);
        }
        return new FloatTensor(new long[] {n, d}, x);
    }
}
