package dev.sfd.core.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import dev.sfd.core.distill.StudentStepLoss;
import dev.sfd.core.onnx.GraphBuilder;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The three student-step losses of {@link StudentStepLoss} in float64: the value against its
 * formula on x^ψ = x + dt·ε, and the gradient with respect to ε against central finite differences.
 */
class StudentStepLossGradientTest {

    @Test
    void valuesAndGradientsMatchTheFormulaAndFiniteDifferences() throws Exception {
        for (String kind : List.of("l1", "l2", "pseudo-huber")) {
            int b = 3;
            int d = 4;
            Random r = new Random(11);
            double[] x = new double[b * d];
            double[] eps = new double[b * d];
            double[] target = new double[b * d];
            double[] dt = {-0.5, -1.25, -0.1};
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian();
                eps[i] = r.nextGaussian();
                target[i] = r.nextGaussian();
            }
            GraphBuilder g = GraphBuilder.create("loss-" + kind, DataType.DOUBLE);
            g.input("x", b, d);
            g.input("eps", b, d);
            StudentStepLoss loss = new StudentStepLoss("x", 2, kind, 0.3, d);
            String out = loss.append(g, "eps");
            g.output(out);
            var model = g.build();
            Map<String, GradCheck.In> in = new java.util.LinkedHashMap<>();
            in.put("x", GradCheck.In.of(new long[] {b, d}, x));
            in.put("eps", GradCheck.In.of(new long[] {b, d}, eps));
            in.put(StudentStepLoss.DT, GradCheck.In.of(new long[] {b}, dt));
            in.put(StudentStepLoss.TARGET, GradCheck.In.of(new long[] {b, d}, target));
            double expected = 0;
            double c = 0.3 * Math.sqrt(d);
            for (int s = 0; s < b; s++) {
                double l1 = 0;
                double sq = 0;
                for (int i = 0; i < d; i++) {
                    double delta = x[s * d + i] + dt[s] * eps[s * d + i] - target[s * d + i];
                    l1 += Math.abs(delta);
                    sq += delta * delta;
                }
                expected += switch (kind) {
                    case "l1" -> l1;
                    case "l2" -> sq;
                    default -> Math.sqrt(sq + c * c) - c;
                } / b;
            }
            Map<String, DataType> types = Map.of("x", DataType.DOUBLE, "eps", DataType.DOUBLE,
                    StudentStepLoss.DT, DataType.DOUBLE, StudentStepLoss.TARGET, DataType.DOUBLE);
            try (var s = GradCheck.open(model)) {
                double value = GradCheck.run(s, in, types, List.of(out)).get(out)[0];
                assertEquals(expected, value, 1e-12, kind + " value");
            }
            double error = GradCheck.maxError(model, out, in, List.of("eps"), 1e-6);
            System.out.printf("student step loss %-12s value %.6f, gradient max rel error vs finite differences %.2e%n",
                    kind, expected, error);
            assertTrue(error < 1e-6, kind + ": gradient error " + error);
        }
    }
}
