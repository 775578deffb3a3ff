package dev.sfd.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.onnx.OrtTensors;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The runner's fused Java-side Adam against the plain reference (PyTorch's formula), with the non-finite guard. */
class FusedAdamTest {

    @Test
    void matchesReferenceOverSeveralStepsAcrossShardsAndZeroesNonFiniteGradients() {
        int[] sizes = {6, 1, 33, 7};
        Random random = new Random(3);
        List<FusedAdam.Slot> slots = new ArrayList<>();
        List<double[]> p = new ArrayList<>();
        List<double[]> m = new ArrayList<>();
        List<double[]> v = new ArrayList<>();
        for (int n : sizes) {
            double[] pd = new double[n];
            FloatBuffer pf = OrtTensors.directFloats(n);
            for (int i = 0; i < n; i++) {
                pd[i] = random.nextGaussian();
                pf.put(i, (float) pd[i]);
            }
            p.add(pd);
            m.add(new double[n]);
            v.add(new double[n]);
            slots.add(new FusedAdam.Slot(pf, OrtTensors.directFloats(n), new float[n], new float[n]));
        }
        LearningRateSchedule lr = LearningRateSchedule.constantThenDrop(1e-2, 4, 0.1);
        double worst = 0;
        try (FusedAdam adam = new FusedAdam(AdamConfig.defaults(), slots, 3)) {
            for (int t = 1; t <= 5; t++) {
                double rate = lr.at(t);
                for (int s = 0; s < slots.size(); s++) {
                    FloatBuffer grad = slots.get(s).grad();
                    for (int i = 0; i < sizes[s]; i++) {
                        grad.put(i, (float) random.nextGaussian());
                    }
                    if (t == 3 && s == 0) {
                        grad.put(1, Float.NaN);
                        grad.put(4, Float.POSITIVE_INFINITY);
                        grad.put(5, Float.NEGATIVE_INFINITY);
                    }
                    for (int i = 0; i < sizes[s]; i++) {
                        double gi = Float.isFinite(grad.get(i)) ? grad.get(i) : 0;
                        m.get(s)[i] = 0.9 * m.get(s)[i] + 0.1 * gi;
                        v.get(s)[i] = 0.999 * v.get(s)[i] + 0.001 * gi * gi;
                        double bc1 = 1 - Math.pow(0.9, t);
                        double bc2 = 1 - Math.pow(0.999, t);
                        p.get(s)[i] -= rate / bc1 * m.get(s)[i] / (Math.sqrt(v.get(s)[i]) / Math.sqrt(bc2) + 1e-8);
                    }
                }
                adam.step(t, rate);
                for (int s = 0; s < slots.size(); s++) {
                    for (int i = 0; i < sizes[s]; i++) {
                        float pi = slots.get(s).param().get(i);
                        assertTrue(Float.isFinite(pi), "parameter non-finite at step " + t);
                        double err = Math.abs(pi - p.get(s)[i]) / Math.max(1e-3, Math.abs(p.get(s)[i]));
                        worst = Math.max(worst, err);
                        assertEquals(m.get(s)[i], slots.get(s).m()[i], 1e-6, "m at step " + t);
                        assertEquals(v.get(s)[i], slots.get(s).v()[i], 1e-6, "v at step " + t);
                    }
                }
            }
        }
        System.out.printf("fused Adam vs reference: max rel error %.2e over 5 steps%n", worst);
        assertTrue(worst < 1e-5, "fused Adam parameters differ from the reference by " + worst);
    }
}
