package dev.sfd.core.teachers.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.schedule.AlphaBarTable;
import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.OrtSessions;
import dev.sfd.core.onnx.OrtTensors;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.Distillability;
import dev.sfd.core.teachers.TeacherContract;
import dev.sfd.core.teachers.TeacherMetadata;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The import wrapper computes exactly what the foreign network computes, converted: the VE ε-MLP
 * fixture unchanged, and synthetic VP networks predicting ε, x₀ or v through the ᾱ table.
 */
class TeacherImportTest {

    static Path fixture(String name) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path f = dir.resolve("fixtures").resolve("byot").resolve(name);
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new AssertionError("fixture " + name + " not found under fixtures/byot");
    }

    @Test
    void veMlpFixtureIsImportedUnchanged() throws Exception {
        byte[] bytes = Files.readAllBytes(fixture("moons_eps_mlp.onnx"));
        OnnxModel foreign = OnnxModel.parse("mlp", bytes);
        ImportOptions o = new ImportOptions();
        o.tMin = 0.002;
        o.tMax = 80.0;
        TeacherImport.Result r = TeacherImport.run("mlp", foreign, bytes, o);
        assertEquals(List.of(), TeacherContract.problems(r.model()));
        assertEquals("/time_mlp/time_mlp.2/Gemm_output_0", r.model().metadata().get(TeacherMetadata.TIME_EMBEDDING));
        assertEquals("64", r.model().metadata().get(TeacherMetadata.TIME_EMBEDDING_DIM));
        float[] x = {0.3f, -1.2f, 2.0f, 0.1f, -0.5f, 0.7f};
        double[] sigma = {0.01, 1.0, 40.0};
        float[] expected = runForeign(bytes, Map.of("x", OrtTensors.of(x, 3, 2), "sigma",
                OrtTensors.of(new float[] {0.01f, 1f, 40f}, 3)), "noise_pred");
        try (OnnxNoiseModel m = OnnxNoiseModel.open("imported", r.model().toBytes(), SessionConfig.cpu(1),
                OnnxNoiseModel.Names.defaults())) {
            float[] eps = m.epsilon(new FloatTensor(new long[] {3, 2}, x), sigma, Condition.none()).data();
            for (int i = 0; i < x.length; i++) {
                assertEquals(expected[i], eps[i], 1e-6);
            }
        }
    }

    @Test
    void vpEpsX0AndVPredictionsConvertToEpsilon() throws Exception {
        AlphaBarTable table = AlphaBarTable.scaledLinear(0.00085, 0.012, 1000);
        for (ImportOptions.Prediction p : List.of(ImportOptions.Prediction.EPS, ImportOptions.Prediction.X0,
                ImportOptions.Prediction.V)) {
            byte[] bytes = syntheticVp(p.name().toLowerCase());
            ImportOptions o = new ImportOptions();
            o.prediction = p;
            o.nullLabel = 4;
            TeacherImport.Result r = TeacherImport.run("vp", OnnxModel.parse("vp", bytes), bytes, o);
            assertEquals(List.of(), TeacherContract.problems(r.model()), p.name());
            assertTrue(r.decisions().stream().anyMatch(d -> d.startsWith("noise: vp (detected")), r.decisions().toString());
            assertEquals("4", r.model().metadata().get(TeacherMetadata.CLASSES));
            float[] x = {0.5f, -1f, 2f, 3f};
            double[] sigma = {0.05, 7.0};
            // the foreign network's own ∅ is row 4 (nullLabel); SFD's −1 must reach it
            float[] out = foreignOutput(bytes, table, x, sigma, new long[] {2, 4});
            float[] eps = importedEpsilon(r, x, sigma, new int[] {2, -1});
            for (int b = 0; b < 2; b++) {
                double s = sigma[b];
                for (int i = 0; i < 2; i++) {
                    int k = b * 2 + i;
                    double want = switch (p) {
                        case EPS -> out[k];
                        case X0, EDM -> (x[k] - out[k]) / s;
                        case V -> s * x[k] / (s * s + 1) + out[k] / Math.sqrt(s * s + 1);
                    };
                    assertEquals(want, eps[k], 2e-4 * Math.max(1, Math.abs(want)), p + " sample " + b);
                }
            }
        }
    }

    /** diffusers-style int64 timesteps: VP detected from the type, the interpolated timestep rounded. */
    @Test
    void integerTimestepsAreRounded() throws Exception {
        GraphBuilder g = GraphBuilder.create("vp-int");
        g.input("latents", DataType.FLOAT, "batch", 2L);
        g.input("t_index", DataType.INT64, "batch");
        String w = g.parameter("w", new long[] {2, 2}, new double[] {1.0, 0.1, 0.2, 0.8});
        String temb = g.unsqueeze(g.scale(g.cast("t_index", DataType.FLOAT), 0.001), 1);
        g.op("Identity", List.of(g.add(g.matMul("latents", w), temb)), "noise_pred");
        g.output("noise_pred");
        byte[] bytes = new OnnxModel(g.build()).toBytes();
        TeacherImport.Result r = TeacherImport.run("vp-int", OnnxModel.parse("vp-int", bytes), bytes, new ImportOptions());
        assertTrue(r.decisions().contains("noise: vp (detected from the time input 't_index'; override with --noise ve|vp)"),
                r.decisions().toString());
        AlphaBarTable table = AlphaBarTable.scaledLinear(0.00085, 0.012, 1000);
        float[] x = {0.5f, -1f, 2f, 3f};
        double[] sigma = {0.3, 5.0};
        float[] xVp = new float[4];
        long[] steps = new long[2];
        for (int b = 0; b < 2; b++) {
            steps[b] = Math.round(table.timestepOf(sigma[b]));
            for (int i = 0; i < 2; i++) {
                xVp[b * 2 + i] = (float) (x[b * 2 + i] / Math.sqrt(sigma[b] * sigma[b] + 1));
            }
        }
        float[] want = runForeign(bytes, Map.of("latents", OrtTensors.of(xVp, 2, 2), "t_index",
                OrtTensors.longs(steps, 2)), "noise_pred");
        try (OnnxNoiseModel m = OnnxNoiseModel.open("imported", r.model().toBytes(), SessionConfig.cpu(1),
                OnnxNoiseModel.Names.defaults())) {
            float[] eps = m.epsilon(new FloatTensor(new long[] {2, 2}, x), sigma, Condition.none()).data();
            for (int i = 0; i < 4; i++) {
                assertEquals(want[i], eps[i], 1e-5);
            }
        }
    }

    @Test
    void errorsNameTheFlag() throws Exception {
        byte[] bytes = syntheticVp("eps");
        OnnxModel m = OnnxModel.parse("vp", bytes);
        ImportOptions o = new ImportOptions();
        o.noise = ImportOptions.Noise.VE;
        ImportException e = assertThrows(ImportException.class, () -> TeacherImport.run("vp", m, bytes, o));
        assertEquals("--t-min and --t-max", e.flag());
        ImportOptions o2 = new ImportOptions();
        o2.sampleInput = "latents";
        e = assertThrows(ImportException.class, () -> TeacherImport.run("vp", m, bytes, o2));
        assertTrue(e.getMessage().contains("--sample-input") && e.getMessage().contains("sample: FLOAT[batch, 2]"),
                e.getMessage());
    }

    /** A label table indexed as cond + 1 (∅ in row 0) is found: 4 classes, SFD's −1 reaches row 0 unchanged. */
    @Test
    void labelTableIndexedAsCondPlusOneIsFound() throws Exception {
        AlphaBarTable table = AlphaBarTable.scaledLinear(0.00085, 0.012, 1000);
        byte[] bytes = syntheticVp("eps", 1);
        ImportOptions o = new ImportOptions();
        o.prediction = ImportOptions.Prediction.EPS;
        TeacherImport.Result r = TeacherImport.run("vp", OnnxModel.parse("vp", bytes), bytes, o);
        assertEquals("4", r.model().metadata().get(TeacherMetadata.CLASSES), r.decisions().toString());
        assertTrue(r.decisions().stream().anyMatch(d -> d.contains("indexed as 'class_labels + 1'")), r.decisions().toString());
        assertTrue(r.decisions().stream().anyMatch(d -> d.contains("row 0")), r.decisions().toString());
        float[] x = {0.5f, -1f, 2f, 3f};
        double[] sigma = {0.05, 7.0};
        // the foreign network itself, fed label 3 and −1 (→ row 4 and row 0)
        float[] out = foreignOutput(bytes, table, x, sigma, new long[] {3, -1});
        float[] eps = importedEpsilon(r, x, sigma, new int[] {3, -1});
        for (int k = 0; k < 4; k++) {
            assertEquals(out[k], eps[k], 2e-4 * Math.max(1, Math.abs(out[k])), "element " + k);
        }
    }

    /** The foreign VP network's raw output for EDM-scale inputs x at σ: x/√(σ²+1) and the table's timestep. */
    private static float[] foreignOutput(byte[] bytes, AlphaBarTable table, float[] x, double[] sigma, long[] labels)
            throws Exception {
        int batch = sigma.length;
        int dim = x.length / batch;
        float[] xVp = new float[x.length];
        float[] u = new float[batch];
        for (int b = 0; b < batch; b++) {
            u[b] = (float) table.timestepOf(sigma[b]);
            for (int i = 0; i < dim; i++) {
                xVp[b * dim + i] = (float) (x[b * dim + i] / Math.sqrt(sigma[b] * sigma[b] + 1));
            }
        }
        return runForeign(bytes, Map.of("sample", OrtTensors.of(xVp, batch, dim), "timestep", OrtTensors.of(u, batch),
                "class_labels", OrtTensors.longs(labels, batch)), "out_sample");
    }

    /** ε of the imported teacher, as the project's noise model computes it. */
    private static float[] importedEpsilon(TeacherImport.Result r, float[] x, double[] sigma, int[] labels)
            throws Exception {
        try (OnnxNoiseModel m = OnnxNoiseModel.open("imported", r.model().toBytes(), SessionConfig.cpu(1),
                OnnxNoiseModel.Names.defaults())) {
            return m.epsilon(new FloatTensor(new long[] {sigma.length, x.length / sigma.length}, x), sigma,
                    Condition.labels(labels)).data();
        }
    }

    /** Every op without a rule between the weights and the output is listed, all at once. */
    @Test
    void distillabilityListsAllUnsupportedOps() {
        GraphBuilder g = GraphBuilder.create("gaps");
        g.input("x", -1, 3);
        String w = g.parameter("w", new long[] {3, 3}, new double[9]);
        String h = g.op("Softplus", List.of(g.matMul("x", w)));
        String k = g.op("HardSigmoid", List.of(h));
        String y = g.op("Max", List.of(k, g.op("Softplus", List.of(k))));
        g.op("Identity", List.of(y), "eps");
        g.output("eps");
        OnnxModel model = new OnnxModel(g.build());
        assertEquals(Map.of("Softplus", 2, "HardSigmoid", 1, "Max", 1), Distillability.unsupportedOps(model));
        String p = Distillability.problem(model);
        assertTrue(p.contains("Softplus") && p.contains("HardSigmoid") && p.contains("Max"), p);
    }

    /** A diffusers-named VP network: sample [B, 2], timestep [B], class_labels int64 [B] → out_sample. */
    private static byte[] syntheticVp(String kind) {
        return syntheticVp(kind, 0);
    }

    /** As above, the label table indexed as {@code class_labels + indexOffset} (PyTorch's ∅ in row 0 when 1). */
    private static byte[] syntheticVp(String kind, long indexOffset) {
        GraphBuilder g = GraphBuilder.create("vp-" + kind);
        g.input("sample", DataType.FLOAT, "batch", 2L);
        g.input("timestep", DataType.FLOAT, "batch");
        g.input("class_labels", DataType.INT64, "batch");
        String w = g.parameter("w", new long[] {2, 2}, new double[] {0.9, 0.2, -0.3, 1.1});
        String table = g.parameter("label_emb", new long[] {5, 2}, new double[] {0, 0, .1, .2, .3, -.1, -.2, .4, .5, .5});
        String temb = g.unsqueeze(g.scale("timestep", 0.001), 1);
        String index = indexOffset == 0 ? "class_labels" : g.add("class_labels", g.int64(indexOffset));
        String y = g.add(g.add(g.matMul("sample", w), g.gather(table, index)), temb);
        g.op("Identity", List.of(y), "out_sample");
        g.output("out_sample");
        return new OnnxModel(g.build()).toBytes();
    }

    private static float[] runForeign(byte[] model, Map<String, OnnxTensor> inputs, String output) throws Exception {
        try (OrtSession s = OrtSessions.open("foreign", model, SessionConfig.cpu(1));
                OrtSession.Result r = s.run(new HashMap<>(inputs))) {
            return OrtTensors.toFloatTensor((OnnxTensor) r.get(output).orElseThrow()).data();
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }
}
