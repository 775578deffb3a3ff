package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.teachers.TeacherMetadata;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bring your own teacher, VE ε-MLP: the PyTorch export of fixtures/byot (inputs x, sigma; output
 * noise_pred; no SFD metadata) imported with one command, distilled and evaluated against itself.
 */
class ByotMlpTest {

    @TempDir
    Path dir;

    private Path imported() throws Exception {
        Path model = ByotFixtures.copy(ByotFixtures.MLP, dir);
        String out = ByotFixtures.ok("teacher", "import", model.toString(), "--t-min", "0.002", "--t-max", "80");
        assertTrue(out.contains("step-count embedding added to '/time_mlp/time_mlp.2/Gemm_output_0' [B, 64] (detected"),
                out);
        assertTrue(out.contains("distillable: yes"), out);
        return dir.resolve("moons_eps_mlp.teacher.onnx");
    }

    @Test
    void importDetectsEverythingButTheRangeAndWritesAValidTeacher() throws Exception {
        Path teacher = imported();
        assertTrue(Files.isRegularFile(dir.resolve("moons_eps_mlp.teacher.onnx.sha256")));
        String info = ByotFixtures.ok("teacher", "info", teacher.toString());
        assertTrue(info.contains("contract: OK"), info);
        assertTrue(info.contains("sfd.dataset = custom"), info);
        assertTrue(info.contains("sfd.import.time_input = sigma"), info);
        String ev = ByotFixtures.ok("teacher", "evaluate", "--teacher", teacher.toString(), "--solver", "euler", "--steps", "2",
                "--samples", "500", "--reference-nfe", "32");
        assertTrue(ev.contains("reference = the teacher itself") && ev.contains("euler, 2 steps (2 NFE), 500 samples: FD"), ev);
        OnnxModel m = OnnxModel.load(teacher);
        assertEquals("2", m.metadata().get(TeacherMetadata.SAMPLE_SHAPE));
        // the original nodes are all still there, unchanged
        OnnxModel original = OnnxModel.load(ByotFixtures.file(ByotFixtures.MLP));
        assertTrue(m.graph().getNodeList().containsAll(original.graph().getNodeList()));
    }

    @Test
    void importErrorsNameTheFlagThatFixesThem() throws Exception {
        Path model = ByotFixtures.copy(ByotFixtures.MLP, dir);
        Object[] r = ByotFixtures.run("teacher", "import", model.toString());
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("--t-min") && ((String) r[1]).contains("--t-max"), (String) r[1]);
        r = ByotFixtures.run("teacher", "import", model.toString(), "--t-min", "0.002", "--t-max", "80",
                "--time-input", "tau");
        assertTrue(((String) r[1]).contains("--time-input") && ((String) r[1]).contains("sigma: FLOAT"), (String) r[1]);
        r = ByotFixtures.run("teacher", "import", model.toString(), "--t-min", "0.002", "--t-max", "80",
                "--prediction", "score");
        assertTrue(((String) r[1]).contains("--prediction score: expected one of [eps, x0, v, edm]"), (String) r[1]);
        r = ByotFixtures.run("teacher", "import", model.toString(), "--t-min", "0.002", "--t-max", "80",
                "--inject", "/nowhere");
        assertTrue(((String) r[1]).contains("--inject"), (String) r[1]);
    }

    @Test
    void infoOfTheRawExportSaysHowToImportIt() {
        Object[] r = ByotFixtures.run("teacher", "info", ByotFixtures.file(ByotFixtures.MLP).toString());
        String out = (String) r[1];
        assertEquals(2, r[0], out);
        assertTrue(out.contains("metadata sfd.kind is missing"), out);
        assertTrue(out.contains("sfd teacher import"), out);
        assertTrue(out.contains("distillable: yes"), out);
    }

    @Test
    void distillAppliesTheRangeFlagsBeforeCheckingTheRange() throws Exception {
        Path teacher = imported();
        OnnxModel m = OnnxModel.load(teacher);
        var b = m.proto().toBuilder().clearMetadataProps();
        m.proto().getMetadataPropsList().stream()
                .filter(e -> !e.getKey().equals(TeacherMetadata.T_MIN) && !e.getKey().equals(TeacherMetadata.T_MAX))
                .forEach(b::addMetadataProps);
        Path stripped = dir.resolve("norange.onnx");
        Files.write(stripped, b.build().toByteArray());
        Object[] r = ByotFixtures.run("distill", "--teacher", stripped.toString(), "--out", dir.resolve("s0.onnx").toString(),
                "--nfe-set", "2", "--budget", "512", "--no-progress");
        assertEquals(1, r[0]);
        assertTrue(((String) r[1]).contains("--t-min") && ((String) r[1]).contains("--t-max"), (String) r[1]);
        String out = ByotFixtures.ok("distill", "--teacher", stripped.toString(), "--out", dir.resolve("s.onnx").toString(),
                "--nfe-set", "2", "--budget", "512", "--t-min", "0.002", "--t-max", "80", "--no-progress");
        assertTrue(out.contains("wrote"), out);
    }

    /** The "must show": the student at NFE 2 beats the teacher's Euler and DPM-Solver++(3M) at NFE 2. */
    @Test
    void distilledStudentBeatsTheTeachersSolversAtNfe2() throws Exception {
        Path teacher = imported();
        Path student = dir.resolve("student.onnx");
        String d = ByotFixtures.ok("distill", "--teacher", teacher.toString(), "--out", student.toString(),
                "--nfe-set", "2,3", "--budget", "16000", "--seed", "3", "--no-progress");
        assertTrue(d.contains("step_embedding") || d.contains("N [3, 4]"), d);
        String report = ByotFixtures.ok("evaluate", "--student", student.toString(), "--teacher", teacher.toString(),
                "--nfe", "2,3", "--samples", "2000");
        System.out.println(report);
        assertTrue(report.contains("reference = the teacher itself, dpm++3m, 128 steps"), report);
        for (String metric : new String[] {"FD", "SW"}) {
            Map<String, Double> row = ByotFixtures.row(report, metric, 2);
            assertTrue(row.get("student") < row.get("euler"), metric + " " + row);
            assertTrue(row.get("student") < row.get("dpm++3m"), metric + " " + row);
        }
    }

    @Test
    void evaluateNeverUsesABuiltinReferenceForAFileThatIsNotThatTeacher() throws Exception {
        Path model = ByotFixtures.copy(ByotFixtures.MLP, dir);
        ByotFixtures.ok("teacher", "import", model.toString(), "--t-min", "0.002", "--t-max", "80", "--dataset",
                "mixture2d", "--out", dir.resolve("claims-mixture.onnx").toString());
        Path student = dir.resolve("s.onnx");
        ByotFixtures.ok("distill", "--teacher", dir.resolve("claims-mixture.onnx").toString(), "--out", student.toString(),
                "--nfe-set", "2", "--budget", "1024", "--no-progress");
        String report = ByotFixtures.ok("evaluate", "--student", student.toString(), "--teacher",
                dir.resolve("claims-mixture.onnx").toString(), "--nfe", "2", "--samples", "500", "--reference-nfe", "32");
        assertTrue(report.contains("is not the built-in 'mixture2d' teacher: evaluating against the teacher itself"), report);
        assertTrue(report.contains("reference = the teacher itself"), report);
        assertFalse(report.contains("coverage"), report);
    }

    /** With a feature extractor (here a fixed random projection 2 → 3 as an ONNX file) FD is also measured in its space. */
    @Test
    void evaluateMeasuresInTheFeatureSpaceOfAGivenExtractor() throws Exception {
        Path teacher = imported();
        Path student = dir.resolve("s.onnx");
        ByotFixtures.ok("distill", "--teacher", teacher.toString(), "--out", student.toString(), "--nfe-set", "2",
                "--budget", "1024", "--no-progress");
        dev.sfd.core.onnx.GraphBuilder g = dev.sfd.core.onnx.GraphBuilder.create("features");
        g.input("samples", -1, 2);
        String w = g.parameter("w", new long[] {2, 3}, new double[] {0.5, -1, 0.2, 1.5, 0.3, -0.7});
        g.op("Identity", java.util.List.of(g.op("Tanh", java.util.List.of(g.matMul("samples", w)))), "features");
        g.output("features");
        Path extractor = dir.resolve("features.onnx");
        Files.write(extractor, g.build().toByteArray());
        String report = ByotFixtures.ok("evaluate", "--student", student.toString(), "--teacher", teacher.toString(),
                "--nfe", "2", "--samples", "500", "--reference-nfe", "32", "--features", extractor.toString());
        assertTrue(report.contains("and in the feature space of features.onnx"), report);
        Map<String, Double> row = ByotFixtures.row(report, "FD-features", 2);
        assertEquals(6, row.size(), row.toString());
        row.values().forEach(v -> assertTrue(Double.isFinite(v) && v >= -1e-9, row.toString()));
        // the nearly converged teacher is far closer to the reference than two Euler steps
        assertTrue(row.get("teacher@64") < row.get("euler") / 100, row.toString());
    }
}
