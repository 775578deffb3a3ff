package dev.sfd.core.teachers.imports.text2image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.schedule.PolynomialSchedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdDistiller;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.metrics.PairedMse;
import dev.sfd.core.metrics.SolverSampler;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SFD on the shapes-sd pipeline in process: the student (UNet copy + step-count condition) is trained at
 * ω = 1 on the fixture's captions, its float {@code cond} fed with each prompt's text embedding. At NFE 2
 * its decoded samples must be closer to the teacher's converged ones (DPM-Solver++(2M), 20 steps, same
 * noise and prompt) than the initial student (= the teacher's AFS+Euler at NFE 2) and the teacher's
 * DPM-Solver++(2M) at NFE 2. Measured once (2048 trajectories, batch 16, lr 1e-3, ~14 s on 2 threads):
 * image MSE 0.0183 against 0.0537 (AFS+Euler) and 0.0324 (DPM-Solver++(2M)).
 */
class TextToImageDistillationTest {

    static final int SAMPLES = 32;

    @Test
    void distilledStudentAtNfe2IsCloserToTheConvergedTeacherThanTheTeachersOwnNfe2Solvers() {
        Captions captions = Captions.read(PipelineFixtures.fixture("shapes-sd"));
        try (TextToImageTeacher teacher = TextToImageTeacher.open(PipelineFixtures.fixture("shapes-sd"),
                SessionConfig.cpu(1))) {
            TextToImageDistillation d = TextToImageDistillation.of("shapes-sd", teacher, captions.texts(), 0);
            assertEquals(List.of("x", "t", "cond", "steps"), d.student().model().inputNames());
            assertEquals(captions.size(), teacher.prompts().encodedPrompts(), "each training prompt encoded once");
            SfdConfig config = SfdConfig.builder(new ScheduleSpec("polynomial", d.info().tMin(), d.info().tMax(), 7))
                    .solver("dpm++3m").k(4).afs(true).batch(16).learningRate(1e-3).budget(2048).seed(0).threads(2)
                    .progress(false).loss("l1").lrSchedule("step").emaHalfLife(0).carryHistory(false)
                    .nfeCounts(List.of(2)).build();
            DistillationResult r = new SfdDistiller(teacher.model(), d.info(), d.student(), config).prompts(d.prompts()).run();
            assertEquals(2048, r.trajectories());
            assertEquals(captions.size(), teacher.prompts().encodedPrompts(), "no prompt encoded again while training");

            List<String> prompts = new ArrayList<>();
            long[] seeds = new long[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                prompts.add(captions.texts().get((i * 5 + 3) % captions.size()));
                seeds[i] = 900_000 + i;
            }
            Condition c = teacher.condition(prompts);
            FloatTensor reference = teacher.decode(teacherSample(teacher, "dpm++2m", 20, seeds, c));
            double euler = PairedMse.of(teacher.decode(teacherSample(teacher, "afs+euler", 3, seeds, c)), reference);
            double dpm = PairedMse.of(teacher.decode(teacherSample(teacher, "dpm++2m", 2, seeds, c)), reference);
            FloatTensor latents;
            try (StudentSampler s = new StudentSampler(new StudentCheckpoint(r.student(), r.metadata(), ""),
                    SessionConfig.cpu(1))) {
                var sample = s.sample(seeds, c, Condition.none(), 3, 1.0);
                assertEquals(2, sample.nfe(), "N = 3 with AFS spends 2 network calls");
                latents = sample.samples();
                assertThrows(IllegalArgumentException.class, () -> s.sample(seeds, null, 3, 1.0),
                        "a text-conditioned student needs embeddings");
            }
            double student = PairedMse.of(teacher.decode(latents), reference);
            System.out.printf("image MSE vs teacher dpm++2m@20: student NFE 2 %.4f, afs+euler NFE 2 %.4f (the initial "
                    + "student), dpm++2m NFE 2 %.4f%n", student, euler, dpm);
            assertTrue(student < 0.5 * euler, "student " + student + " vs the initial student / AFS+Euler " + euler);
            assertTrue(student < 0.75 * dpm, "student " + student + " vs DPM-Solver++(2M) at NFE 2 " + dpm);
            assertArrayEquals(new long[] {SAMPLES, 4, 8, 8}, latents.shape());
        }
    }

    static FloatTensor teacherSample(TextToImageTeacher teacher, String solver, int steps, long[] seeds, Condition c) {
        return new SolverSampler(teacher.model(), Solvers.byName(solver),
                new PolynomialSchedule(teacher.tMin(), teacher.tMax()).timestampsDescending(steps), teacher.latentShape(),
                1.0).sample(seeds, c);
    }
}
