package dev.sfd.cli;

import dev.sfd.core.teachers.imports.text2image.PipelineFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.metrics.PairedMse;
import dev.sfd.core.metrics.SolverSampler;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.imports.text2image.Captions;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import dev.sfd.core.teachers.imports.text2image.TextToImageQuality;
import dev.sfd.core.teachers.imports.text2image.TextToImageTeacher;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sfd distill --teacher <text-to-image pipeline folder>} on the committed shapes-sd fixture with a
 * small budget (1024 trajectories, NFE 2): the written student samples at NFE 2 closer to the teacher's
 * converged images (DPM-Solver++(2M), 20 steps, same noise and prompts) than the initial student, which is
 * the teacher's own AFS+Euler at NFE 2 (measured once: image MSE 0.024 against 0.048); {@code sfd evaluate}
 * prints the same comparison from decoded images, side by side with the teacher's solvers. The manifest of
 * {@code sfd teacher import} names the same teacher.
 */
class TextToImageDistillCommandTest {

    @TempDir
    Path tmp;

    @Test
    void distilledStudentFromThePipelineFolderBeatsTheInitialStudentAtNfe2() {
        Path folder = PipelineFixtures.fixture("shapes-sd");
        Path out = tmp.resolve("student.onnx");
        String log = ByotFixtures.ok("distill", "--teacher", folder.toString(), "--nfe-set", "2", "--budget", "1024",
                "--batch", "16", "--threads", "2", "--no-progress", "--out", out.toString());
        assertTrue(log.contains("96 training prompts (captions.json, each encoded once: embedding [12, 32]), ω = 1"), log);
        assertTrue(log.contains("wrote " + out), log);
        StudentCheckpoint cp = StudentCheckpoint.load(out);
        assertEquals("shapes-sd", cp.metadata().teacherId());
        assertEquals(TextToImageFolder.read(folder).sha256(), cp.metadata().teacherSha256(), "pinned by the folder's sha256");
        assertEquals(List.of("x", "t", "cond", "steps"), cp.model().inputNames());

        List<String> captions = Captions.read(folder).texts();
        List<String> prompts = new ArrayList<>();
        long[] seeds = new long[32];
        for (int i = 0; i < seeds.length; i++) {
            prompts.add(captions.get((i * 11 + 1) % captions.size()));
            seeds[i] = 77_000 + i;
        }
        try (TextToImageTeacher teacher = TextToImageTeacher.open(folder, SessionConfig.cpu(1));
                StudentSampler student = new StudentSampler(cp, SessionConfig.cpu(1))) {
            Condition c = teacher.condition(prompts);
            FloatTensor reference = teacher.decode(teacher(teacher, "dpm++2m", 20).sample(seeds, c));
            double initial = PairedMse.of(teacher.decode(teacher(teacher, "afs+euler", 3).sample(seeds, c)), reference);
            double trained = PairedMse.of(teacher.decode(student.sampleAtNfe(seeds, c, Condition.none(), 2, 1.0).samples()), reference);
            System.out.printf("sfd distill shapes-sd (1024 trajectories): NFE-2 image MSE to teacher@20 %.4f, initial "
                    + "student (= AFS+Euler) %.4f%n", trained, initial);
            assertTrue(trained < 0.8 * initial, "student " + trained + " vs initial student " + initial);
        }

        // sfd evaluate on the same student: decoded images, side by side with the teacher's solvers at NFE 2
        String report = ByotFixtures.ok("evaluate", "--teacher", folder.toString(), "--student", out.toString(),
                "--samples", "64", "--nfe", "2", "--high-nfe", "32", "--threads", "2", "--omegas", "1,2");
        Map<String, Double> mse = ByotFixtures.row(report, TextToImageQuality.MSE, 2);
        assertEquals(List.of("euler", "heun", "dpm++2m", "dpm++3m", "afs+dpm++3m", "student", "teacher@32"),
                List.copyOf(mse.keySet()), report);
        assertEquals(0.0, mse.get("teacher@32"), 0.0, report);
        assertTrue(mse.get("student") < 0.8 * mse.get("afs+dpm++3m"), report);
        Map<String, Double> fd = ByotFixtures.row(report, TextToImageQuality.FD, 2);
        Map<String, Double> acc = ByotFixtures.row(report, TextToImageQuality.ACCURACY, 2);
        assertTrue(fd.get("student") > 0 && Double.isFinite(fd.get("student")), report);
        assertTrue(acc.get("teacher@32") > 1.0 / 16 && acc.get("student") <= 1.0, report);

        // the guidance sweep: its ω = 1 row is the table above (same seeds and captions; guided(1) = the UNet alone)
        double[] one = sweepRow(report, "1.0");
        double[] two = sweepRow(report, "2.0");
        assertEquals(fd.get("dpm++2m"), one[0], 1e-3 * fd.get("dpm++2m") + 0.01, report);
        assertEquals(fd.get("student"), one[1], 1e-3 * fd.get("student") + 0.01, report);
        assertEquals(fd.get("teacher@32"), one[2], 1e-3 * fd.get("teacher@32") + 0.01, report);
        assertEquals(mse.get("student"), one[7], 1e-4, report);
        assertTrue(Math.abs(two[1] - one[1]) > 1e-6, "guidance ω = 2 changes the student's images: " + report);
    }

    /** The numbers of the sweep row of scale {@code omega}: FD ×3, accuracy ×3, MSE ×2. */
    static double[] sweepRow(String report, String omega) {
        String line = report.lines().filter(l -> l.matches(java.util.regex.Pattern.quote(omega) + "\\s+\\|.*"))
                .findFirst().orElseThrow(() -> new AssertionError("no sweep row for ω = " + omega + " in\n" + report));
        return java.util.Arrays.stream(line.substring(line.indexOf('|') + 1).replace("|", " ").trim().split("\\s+"))
                .mapToDouble(Double::parseDouble).toArray();
    }

    @Test
    void theImportManifestNamesTheSameTeacherAndUnsupportedFlagsAreRefused() {
        Path folder = PipelineFixtures.fixture("shapes-sd");
        Path manifest = tmp.resolve("shapes-sd.teacher.json");
        ByotFixtures.ok("teacher", "import", folder.toString(), "--out", manifest.toString());
        Object[] r = ByotFixtures.run("distill", "--teacher", manifest.toString(), "--method", "td", "--epochs", "2",
                "--out", tmp.resolve("s.onnx").toString());
        String log = (String) r[1];
        assertTrue((int) r[0] != 0, log);
        assertTrue(log.contains("(a text-to-image pipeline): --method td: only sfd distils a text-to-image teacher so far"),
                log);
        assertTrue(log.contains("--trajectories/--save-trajectories/--epochs"), log);
    }

    @Test
    void aManifestWhoseFolderChangedSinceTheImportIsRefused() throws Exception {
        Path folder = tmp.resolve("shapes-sd");
        PipelineFixtures.copyTree(PipelineFixtures.fixture("shapes-sd"), folder);
        Path manifest = tmp.resolve("shapes-sd.teacher.json");
        ByotFixtures.ok("teacher", "import", folder.toString(), "--out", manifest.toString());
        Path config = folder.resolve("tokenizer").resolve("tokenizer_config.json");
        java.nio.file.Files.writeString(config, java.nio.file.Files.readString(config) + " ");
        Object[] r = ByotFixtures.run("distill", "--teacher", manifest.toString(), "--nfe-set", "2", "--budget", "16",
                "--out", tmp.resolve("s.onnx").toString());
        String log = (String) r[1];
        assertTrue((int) r[0] != 0, log);
        assertTrue(log.contains("the folder changed since the import; run 'sfd teacher import " + folder + "' again"), log);
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("s.onnx")), "no student written");
    }

    static SolverSampler teacher(TextToImageTeacher t, String solver, int steps) {
        return new SolverSampler(t.model(), Solvers.byName(solver),
                new PolynomialSchedule(t.tMin(), t.tMax()).timestampsDescending(steps), t.latentShape(), 1.0);
    }
}
