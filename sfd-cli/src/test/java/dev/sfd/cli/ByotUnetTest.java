package dev.sfd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.onnx.SessionConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bring your own teacher, VP UNet: the PyTorch export of fixtures/byot (sample, timestep,
 * class_labels → out_sample; Conv, GroupNorm as InstanceNormalization, attention, nearest Resize;
 * discrete 1000-step ᾱ table) imported with one command and no flags, distilled, evaluated
 * against itself, and sampled through the same StudentSampler as built-in students.
 */
class ByotUnetTest {

    @TempDir
    Path dir;

    @Test
    void importDistilEvaluateAndSample() throws Exception {
        Path model = ByotFixtures.copy(ByotFixtures.UNET, dir);
        Object[] info = ByotFixtures.run("teacher", "info", model.toString());
        assertEquals(2, info[0], (String) info[1]);
        assertTrue(((String) info[1]).contains("distillable: yes, once imported"), (String) info[1]);
        String imp = ByotFixtures.ok("teacher", "import", model.toString());
        assertTrue(imp.contains("noise: vp (detected from the time input 'timestep'"), imp);
        assertTrue(imp.contains("ᾱ table: scaled-linear"), imp);
        assertTrue(imp.contains("classes: 16 (the label embedding has 17 rows"), imp);
        assertTrue(imp.contains("is passed to the network as label 16"), imp);
        assertTrue(imp.contains("step-count embedding added to '/time_embedding/time_embedding.2/Gemm_output_0' [B, 64]"),
                imp);
        assertTrue(imp.contains("distillable: yes"), imp);
        Path teacher = dir.resolve("shapes_vp_unet.teacher.onnx");

        Path student = dir.resolve("student.onnx");
        String d = ByotFixtures.ok("distill", "--teacher", teacher.toString(), "--out", student.toString(), "--nfe-set", "2",
                "--budget", "1024", "--batch", "32", "--lr", "1e-4", "--threads", "2", "--no-progress");
        assertTrue(d.contains("wrote"), d);

        String report = ByotFixtures.ok("evaluate", "--student", student.toString(), "--teacher", teacher.toString(),
                "--nfe", "2", "--samples", "64", "--reference-nfe", "32", "--high-nfe", "16", "--threads", "2");
        System.out.println(report);
        assertTrue(report.contains("reference = the teacher itself, dpm++3m, 32 steps"), report);
        for (String metric : new String[] {"FD", "SW"}) {
            Map<String, Double> row = ByotFixtures.row(report, metric, 2);
            assertTrue(row.get("student") < row.get("euler"), metric + " " + row);
            assertTrue(row.get("student") < row.get("dpm++3m"), metric + " " + row);
        }

        // the same sampler as every student: labels, ∅ (−1) and guidance
        try (StudentSampler sampler = new StudentSampler(StudentCheckpoint.load(student), SessionConfig.cpu(1))) {
            StudentSample s = sampler.sampleAtNfe(new long[] {1, 2, 3}, new int[] {0, 5, -1}, 2, 1.0);
            assertArrayEquals(new long[] {3, 3, 16, 16}, s.samples().shape());
            StudentSample guided = sampler.sampleAtNfe(new long[] {1, 2}, new int[] {3, 7}, 2, 3.0);
            assertEquals(2, guided.samples().batch());
            for (float v : guided.samples().data()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }
}
