package dev.sfd.core.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.mixture.GaussianMixture;
import dev.sfd.core.diffusion.mixture.GaussianMixtureNoiseModel;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.onnx.VpOnnxNoiseModel;
import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/**
 * ONNX-backed models against the analytic ones, on graphs built by hand. For data N(μ, s²I) the exact
 * noise is ε = −t·∇log N(x; μ, (s² + t²)I) = t·(x − μ)/(s² + t²), which the graphs compute.
 */
class OnnxNoiseModelTest {

    private static final float[] MU = {0.5f, -1f, 0.25f, 2f};
    private static final float S = 0.5f;
    private static final SessionConfig CPU = SessionConfig.cpu(1);

    /** eps = (x − μ)·t/(s² + t²), with μ = means[cond] when {@code conditional}. */
    static byte[] gaussianEpsGraph(boolean conditional, float[][] means) {
        TestGraphs g = new TestGraphs()
                .input("x", TestGraphs.FLOAT, "B", 4)
                .input("t", TestGraphs.FLOAT, "B")
                .output("eps", TestGraphs.FLOAT, "B", 4)
                .longs("axes1", new long[] {1}, 1)
                .floats("s2", new long[] {}, S * S)
                .node("Unsqueeze", new String[] {"t", "axes1"}, "tt")
                .node("Mul", new String[] {"tt", "tt"}, "t2")
                .node("Add", new String[] {"t2", "s2"}, "den")
                .node("Div", new String[] {"tt", "den"}, "coef");
        if (conditional) {
            float[] flat = new float[means.length * 4];
            for (int k = 0; k < means.length; k++) {
                System.arraycopy(means[k], 0, flat, 4 * k, 4);
            }
            g.input("cond", TestGraphs.INT64, "B")
                    .floats("means", new long[] {means.length, 4}, flat)
                    .node("Gather", new String[] {"means", "cond"}, "mu", TestGraphs.intAttr("axis", 0));
        } else {
            g.floats("mu", new long[] {4}, MU);
        }
        return g.node("Sub", new String[] {"x", "mu"}, "diff")
                .node("Mul", new String[] {"diff", "coef"}, "eps")
                .build();
    }

    private static void assertClose(FloatTensor expected, FloatTensor actual, double tol) {
        assertEquals(expected.shapeString(), actual.shapeString());
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(expected.data()[i], actual.data()[i], tol * (1 + Math.abs(expected.data()[i])), "element " + i);
        }
    }

    private static double[] d(float[] f) {
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    @Test
    void onnxEpsilonEqualsTheAnalyticGaussian() {
        GaussianMixtureNoiseModel analytic = new GaussianMixtureNoiseModel(GaussianMixture.single(d(MU), S));
        FloatTensor x = SeededNoise.gaussian(new long[] {1, 2, 3, 4, 5}, new long[] {4}, 3);
        double[] t = {0.002, 0.1, 1, 10, 80};
        try (OnnxNoiseModel onnx = OnnxNoiseModel.open("gaussian-eps", gaussianEpsGraph(false, null), CPU,
                OnnxNoiseModel.Names.defaults())) {
            assertClose(analytic.epsilon(x, t, Condition.none()), onnx.epsilon(x, t, Condition.none()), 1e-5);
            // and a whole solve agrees
            double[] ts = new PolynomialSchedule(0.002, 80).timestampsDescending(8);
            FloatTensor xN = SeededNoise.gaussian(new long[] {7, 8}, new long[] {4}, 80);
            assertClose(Solvers.byName("dpm++3m").solve(analytic, xN, ts, Condition.none()),
                    Solvers.byName("dpm++3m").solve(onnx, xN, ts, Condition.none()), 1e-4);
        }
    }

    @Test
    void labelConditionedOnnxEpsilonEqualsTheAnalyticMixtureComponent() {
        float[][] means = {MU, {-2f, 0f, 1f, 1f}, {3f, 3f, -3f, 0f}};
        double[][] dm = {d(means[0]), d(means[1]), d(means[2])};
        GaussianMixture mix = GaussianMixture.isotropic(new double[] {1, 2, 3}, dm, new double[] {S, S, S},
                new int[] {0, 1, 2});
        GaussianMixtureNoiseModel analytic = new GaussianMixtureNoiseModel(mix);
        FloatTensor x = SeededNoise.gaussian(new long[] {1, 2, 3}, new long[] {4}, 2);
        double[] t = {0.3, 1.7, 5};
        Condition c = Condition.labels(2, 0, 1);
        try (OnnxNoiseModel onnx = OnnxNoiseModel.open("gaussian-eps-cond", gaussianEpsGraph(true, means), CPU,
                OnnxNoiseModel.Names.defaults())) {
            assertClose(analytic.epsilon(x, t, c), onnx.epsilon(x, t, c), 1e-5);
        }
    }

    @Test
    void contractViolationsNameTheModelAndTheInputs() {
        byte[] wrong = new TestGraphs().input("sample", TestGraphs.FLOAT, "B", 4).input("sigma", TestGraphs.FLOAT, "B")
                .output("eps", TestGraphs.FLOAT, "B", 4)
                .node("Mul", new String[] {"sample", "sample"}, "eps").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OnnxNoiseModel.open("my-teacher", wrong, CPU, OnnxNoiseModel.Names.defaults()));
        String m = e.getMessage();
        assertTrue(m.contains("my-teacher") && m.contains("x: FLOAT[B, …]") && m.contains("sample: FLOAT[-1, 4]")
                && m.contains("sigma: FLOAT[-1]"), m);
        // configurable names make the same graph acceptable
        try (OnnxNoiseModel ok = OnnxNoiseModel.open("renamed", wrong, CPU, new OnnxNoiseModel.Names("sample", "sigma", null, "eps"))) {
            FloatTensor x = new FloatTensor(new long[] {1, 4}, new float[] {1, 2, 3, 4});
            assertEquals(9f, ok.epsilon(x, new double[] {1}, Condition.none()).data()[2]);
            // wrong per-sample shape is refused with the declared shape in the message
            FloatTensor bad = new FloatTensor(new long[] {1, 3}, new float[3]);
            IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                    () -> ok.epsilon(bad, new double[] {1}, Condition.none()));
            assertTrue(e2.getMessage().contains("[-1, 4]"), e2.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ok.epsilon(x, new double[] {1}, Condition.labels(1)));
        }
    }

    /** A VP table whose log σ is linear in k, so the graph can recover σ = exp(a + b·timestep) exactly. */
    private static final double A = Math.log(0.03);
    private static final double B = (Math.log(15) - Math.log(0.03)) / 999;

    private static AlphaBarTable logLinearTable() {
        double[] ab = new double[1000];
        for (int k = 0; k < 1000; k++) {
            double sigma = Math.exp(A + B * k);
            ab[k] = 1 / (1 + sigma * sigma);
        }
        return new AlphaBarTable(ab);
    }

    @Test
    void vpAdapterGivesTheAnalyticVeEpsilon() {
        // The VP network sees sample = x/sqrt(σ²+1) and timestep τ; it recovers σ = exp(a + bτ) and
        // x = sample·sqrt(σ²+1), then returns the exact ε = σ(x − μ)/(s² + σ²).
        byte[] vp = new TestGraphs()
                .input("sample", TestGraphs.FLOAT, "B", 4)
                .input("timestep", TestGraphs.FLOAT, "B")
                .output("out_sample", TestGraphs.FLOAT, "B", 4)
                .longs("axes1", new long[] {1}, 1)
                .floats("a", new long[] {}, (float) A).floats("b", new long[] {}, (float) B)
                .floats("one", new long[] {}, 1f).floats("s2", new long[] {}, S * S).floats("mu", new long[] {4}, MU)
                .node("Unsqueeze", new String[] {"timestep", "axes1"}, "tau")
                .node("Mul", new String[] {"tau", "b"}, "btau")
                .node("Add", new String[] {"btau", "a"}, "logsig")
                .node("Exp", new String[] {"logsig"}, "sig")
                .node("Mul", new String[] {"sig", "sig"}, "sig2")
                .node("Add", new String[] {"sig2", "one"}, "sig2p1")
                .node("Sqrt", new String[] {"sig2p1"}, "scale")
                .node("Mul", new String[] {"sample", "scale"}, "xve")
                .node("Sub", new String[] {"xve", "mu"}, "diff")
                .node("Add", new String[] {"sig2", "s2"}, "den")
                .node("Div", new String[] {"sig", "den"}, "coef")
                .node("Mul", new String[] {"diff", "coef"}, "out_sample")
                .build();
        GaussianMixtureNoiseModel analytic = new GaussianMixtureNoiseModel(GaussianMixture.single(d(MU), S));
        FloatTensor x = SeededNoise.gaussian(new long[] {11, 12, 13, 14}, new long[] {4}, 4);
        double[] t = {0.03, 0.4, 3.3, 15};
        try (VpOnnxNoiseModel model = VpOnnxNoiseModel.open("vp-gaussian", vp, CPU,
                new VpOnnxNoiseModel.Names("sample", "timestep", null, "out_sample"), logLinearTable())) {
            assertClose(analytic.epsilon(x, t, Condition.none()), model.epsilon(x, t, Condition.none()), 2e-5);
            // σ outside the table's range is refused
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.epsilon(x, new double[] {0.01, 1, 1, 1}, Condition.none()));
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
        }
    }

    @Test
    void vpAdapterPassesEmbeddingsAndIntegerScalarTimesteps() {
        // out = 0·sample + mean(encoder_hidden_states[b]) + timestep
        byte[] vp = new TestGraphs()
                .input("sample", TestGraphs.FLOAT, "B", 3)
                .input("timestep", TestGraphs.INT64)
                .input("encoder_hidden_states", TestGraphs.FLOAT, "B", 2, 5)
                .output("out_sample", TestGraphs.FLOAT, "B", 3)
                .floats("zero", new long[] {}, 0f)
                .node("Mul", new String[] {"sample", "zero"}, "z")
                .node("ReduceMean", new String[] {"encoder_hidden_states"}, "m", TestGraphs.intsAttr("axes", 2),
                        TestGraphs.intAttr("keepdims", 1))
                .node("ReduceMean", new String[] {"m"}, "m2", TestGraphs.intsAttr("axes", 1),
                        TestGraphs.intAttr("keepdims", 0))
                .node("Cast", new String[] {"timestep"}, "tf", TestGraphs.intAttr("to", TestGraphs.FLOAT))
                .node("Add", new String[] {"z", "m2"}, "zm")
                .node("Add", new String[] {"zm", "tf"}, "out_sample")
                .build();
        AlphaBarTable table = AlphaBarTable.stableDiffusion();
        float[] emb = new float[10];
        for (int i = 0; i < 10; i++) {
            emb[i] = i; // mean 4.5
        }
        double sigma = table.sigma(500);
        try (VpOnnxNoiseModel model = VpOnnxNoiseModel.open("vp-emb", vp, CPU, VpOnnxNoiseModel.Names.defaults(), table)) {
            FloatTensor x = new FloatTensor(new long[] {2, 3}, new float[6]);
            FloatTensor out = model.epsilon(x, new double[] {sigma, sigma},
                    Condition.embedding(new FloatTensor(new long[] {1, 2, 5}, emb)));
            for (float v : out.data()) {
                assertEquals(504.5f, v, 1e-3);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.epsilon(x, new double[] {sigma, sigma}, Condition.none()));
            assertTrue(e.getMessage().contains("encoder_hidden_states"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> model.epsilon(x, new double[] {sigma, 1.0},
                    Condition.embedding(new FloatTensor(new long[] {1, 2, 5}, emb))));
        }
    }
}
