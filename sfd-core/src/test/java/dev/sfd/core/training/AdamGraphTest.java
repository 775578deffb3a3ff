package dev.sfd.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxCheck;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-graph Adam update against a plain-Java reference (PyTorch's formula), with the non-finite guard. */
class AdamGraphTest {

    @Test
    void matchesJavaReferenceOverSeveralStepsAndZeroesNonFiniteGradients() throws Exception {
        int n = 6;
        AdamConfig cfg = AdamConfig.defaults();
        GraphBuilder g = GraphBuilder.create("adam");
        g.input("p", n);
        g.input("grad", n);
        Map<String, String> next = AdamGraph.append(g, Map.of("p", "grad"), Map.of("p", new long[] {n}), cfg);
        OnnxCheck.check(g.build());

        Random random = new Random(3);
        double[] p = new double[n];
        double[] m = new double[n];
        double[] v = new double[n];
        float[] pf = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = random.nextGaussian();
            pf[i] = (float) p[i];
        }
        LearningRateSchedule lr = LearningRateSchedule.constantThenDrop(1e-2, 4, 0.1);
        double worst = 0;
        try (OrtSession s = OrtSessions.open("adam", g.build().toByteArray(), SessionConfig.cpu(1))) {
            float[] mf = new float[n];
            float[] vf = new float[n];
            for (int t = 1; t <= 5; t++) {
                float[] grad = new float[n];
                for (int i = 0; i < n; i++) {
                    grad[i] = (float) random.nextGaussian();
                }
                if (t == 3) {
                    grad[1] = Float.NaN;
                    grad[4] = Float.POSITIVE_INFINITY;
                }
                // reference: PyTorch Adam with non-finite gradients replaced by 0
                double rate = lr.at(t);
                for (int i = 0; i < n; i++) {
                    double gi = Float.isFinite(grad[i]) ? grad[i] : 0;
                    m[i] = 0.9 * m[i] + 0.1 * gi;
                    v[i] = 0.999 * v[i] + 0.001 * gi * gi;
                    double bc1 = 1 - Math.pow(0.9, t);
                    double bc2 = 1 - Math.pow(0.999, t);
                    p[i] -= rate / bc1 * m[i] / (Math.sqrt(v[i]) / Math.sqrt(bc2) + 1e-8);
                }
                Map<String, OnnxTensor> feed = new HashMap<>();
                feed.put("p", OrtTensors.of(pf, n));
                feed.put("grad", OrtTensors.of(grad, n));
                feed.put(AdamGraph.firstMoment("p"), OrtTensors.of(mf, n));
                feed.put(AdamGraph.secondMoment("p"), OrtTensors.of(vf, n));
                feed.put(AdamGraph.STEP, OrtTensors.scalar(t));
                feed.put(AdamGraph.LEARNING_RATE, OrtTensors.scalar((float) rate));
                try (OrtSession.Result r = s.run(feed)) {
                    pf = OrtTensors.toFloatTensor((OnnxTensor) r.get(next.get("p")).orElseThrow()).data();
                    mf = OrtTensors.toFloatTensor((OnnxTensor) r.get(next.get(AdamGraph.firstMoment("p"))).orElseThrow()).data();
                    vf = OrtTensors.toFloatTensor((OnnxTensor) r.get(next.get(AdamGraph.secondMoment("p"))).orElseThrow()).data();
                } finally {
                    feed.values().forEach(OnnxTensor::close);
                }
                for (int i = 0; i < n; i++) {
                    assertTrue(Float.isFinite(pf[i]), "parameter " + i + " non-finite at step " + t);
                    worst = Math.max(worst, Math.abs(pf[i] - p[i]) / Math.max(1e-3, Math.abs(p[i])));
                    assertEquals(m[i], mf[i], 1e-6, "m at step " + t);
                }
            }
        }
        System.out.printf("Adam vs Java reference: max rel error %.2e over 5 steps%n", worst);
        assertTrue(worst < 1e-5, "Adam parameters differ from the reference by " + worst);
    }

    @Test
    void scheduleDropsAtTheGivenStep() {
        LearningRateSchedule s = LearningRateSchedule.constantThenDrop(5e-5, 100, 0.1);
        assertEquals(5e-5, s.at(1));
        assertEquals(5e-5, s.at(99));
        assertEquals(5e-6, s.at(100), 1e-18);
    }
}
