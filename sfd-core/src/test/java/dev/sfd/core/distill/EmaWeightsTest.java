package dev.sfd.core.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link EmaWeights} against the closed form of an EMA, and {@link SfdConfig#emaDecay} against its half-life. */
class EmaWeightsTest {

    @Test
    void emaAfterKStepsEqualsTheClosedForm() {
        FloatBuffer w = FloatBuffer.allocate(2);
        w.put(0, 1f).put(1, -2f);
        double beta = 0.9;
        EmaWeights ema = new EmaWeights(Map.of("w", w), beta);
        // weights move as w_j = (1 + j, −2 + 0.5 j) after step j = 1 … k
        int k = 25;
        for (int j = 1; j <= k; j++) {
            w.put(0, 1f + j).put(1, -2f + 0.5f * j);
            ema.update();
        }
        // closed form: ema_k = β^k·w_0 + Σ_{j=1..k} (1 − β)·β^{k−j}·w_j
        double[] expected = {Math.pow(beta, k) * 1, Math.pow(beta, k) * -2};
        for (int j = 1; j <= k; j++) {
            double wgt = (1 - beta) * Math.pow(beta, k - j);
            expected[0] += wgt * (1 + j);
            expected[1] += wgt * (-2 + 0.5 * j);
        }
        float[] got = ema.values().get("w");
        assertEquals(expected[0], got[0], 1e-5);
        assertEquals(expected[1], got[1], 1e-5);
        assertEquals(k, ema.updates());
    }

    @Test
    void constantWeightsStayPutAndTheHalfLifeHalvesTheOldWeight() {
        SfdConfig c = SfdConfig.builder(ScheduleSpec.polynomial(0.002, 80)).emaHalfLife(50).build();
        assertEquals(0.5, Math.pow(c.emaDecay(), 50), 1e-12);
        assertEquals(0, SfdConfig.builder(ScheduleSpec.polynomial(0.002, 80)).build().emaDecay());
        FloatBuffer w = FloatBuffer.wrap(new float[] {3f});
        EmaWeights ema = new EmaWeights(Map.of("w", w), c.emaDecay());
        w.put(0, 5f); // a jump from 3 to 5: after one half-life the average is halfway
        for (int i = 0; i < 50; i++) {
            ema.update();
        }
        assertEquals(4.0, ema.values().get("w")[0], 1e-4);
        assertThrows(IllegalArgumentException.class, () -> new EmaWeights(Map.of("w", w), 1.0));
    }
}
