package dev.sfd.core.distill;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints and sampling: metadata round-trip through a fresh JVM, AFS saves the first call,
 * ω = 1 makes no unconditional call, untrained N gives a flagged answer. Uses a tiny SFD run with
 * the exact mixture as teacher and an untrained contract net as the student (fast).
 */
class StudentCheckpointTest {

    /** A two-batch SFD-v run: exact mixture teacher, untrained ONNX student. */
    private static DistillationResult tinyRun(NoiseModel teacher) {
        OnnxModel net = TestTeachers.mixtureNet(9);
        TeacherInfo info = TestTeachers.info(net);
        SfdConfig config = SfdConfig.builder(ScheduleSpec.polynomial(0.002, 80)).stepCounts(3, 5).batch(64)
                .budget(128).k(2).seed(3).threads(1).build();
        return new SfdDistiller(teacher, info, StudentFromTeacher.build(net, "time_embedding", 0, 1), config).run();
    }

    @Test
    void metadataRoundTripsThroughAFreshProcess(@TempDir Path dir) throws Exception {
        DistillationResult r = tinyRun(dev.sfd.core.diffusion.mixture.Mixture2d.ring().noiseModel());
        Path file = dir.resolve("student.onnx");
        StudentCheckpoint.save(r.student(), file);
        StudentCheckpoint loaded = StudentCheckpoint.load(file);
        assertEquals(r.metadata(), loaded.metadata());
        StudentMetadata m = loaded.metadata();
        assertEquals(List.of(3, 5), m.stepCounts());
        assertTrue(m.afs());
        assertEquals(1.0, m.trainingGuidance());
        assertEquals(128, m.trajectories());
        assertEquals("test-mixture2d", m.teacherId());
        assertEquals(64, m.teacherSha256().length());
        assertEquals("student", loaded.model().metadata().get("sfd.kind"));
        assertEquals("{\"test\":true}", loaded.model().metadata().get("sfd.teacher.recipe"));

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                PrintStudentTimestamps.class.getName(), file.toString(), "3", "5", "4")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish");
        assertEquals(0, p.exitValue(), "child JVM failed: " + out);
        List<String> lines = out.lines().toList();
        assertEquals(3, lines.size(), out);
        try (StudentSampler here = new StudentSampler(loaded, SessionConfig.cpu(1))) {
            int i = 0;
            for (int n : new int[] {3, 5, 4}) {
                StudentSample s = here.sample(new long[] {7, 8}, new int[] {1, 2}, n, 1.0);
                if (n != 4) {
                    assertArrayEquals(m.trainedTimestamps(n), s.timestamps(), "N = " + n + " uses the trained Γ(N)");
                }
                assertEquals(n + " " + s.nfe() + " " + Arrays.toString(s.timestamps()) + " "
                        + Arrays.toString(s.samples().data()), lines.get(i++), "child process disagrees for N = " + n);
            }
        }
    }

    @Test
    void afsSkipsTheFirstCallAndOmegaOneMakesNoUnconditionalCall() {
        RecordingModel teacher = new RecordingModel(dev.sfd.core.diffusion.mixture.Mixture2d.ring().noiseModel());
        DistillationResult r = tinyRun(teacher);
        assertFalse(teacher.sawNullLabel, "training at ω = 1 must never call the teacher's ∅ branch");
        try (StudentSampler s = new StudentSampler(new StudentCheckpoint(r.student(), r.metadata(), ""),
                SessionConfig.cpu(1))) {
            StudentSample afs = s.sample(new long[] {1, 2, 3}, new int[] {0, 1, 2}, 3, 1.0);
            assertEquals(2, afs.nfe(), "AFS: N = 3 steps cost 2 network calls");
            assertEquals(4, s.sampleAtNfe(new long[] {1}, new int[] {0}, 3, 1.0).steps());
            StudentSample guided = s.sample(new long[] {1, 2}, new int[] {0, 1}, 3, 3.0);
            assertEquals(2, guided.nfe(), "ω ≠ 1 batches both branches into one call per step");
        }
        // ω = 1 through the sampler: wrap the student network and look at every label it sees
        try (StudentNetwork net = new StudentNetwork(r.student(), SessionConfig.cpu(1))) {
            RecordingModel student = new RecordingModel(net.atSteps(3));
            new dev.sfd.core.diffusion.ClassifierFreeGuidance(student, 1.0).epsilon(
                    new FloatTensor(new long[] {2, 2}, new float[4]), new double[] {1, 1}, Condition.labels(0, 1));
            assertFalse(student.sawNullLabel);
            assertEquals(1, student.calls);
            new dev.sfd.core.diffusion.ClassifierFreeGuidance(student, 3.0).epsilon(
                    new FloatTensor(new long[] {2, 2}, new float[4]), new double[] {1, 1}, Condition.labels(0, 1));
            assertTrue(student.sawNullLabel, "ω = 3 uses the ∅ label −1");
        }
    }

    @Test
    void untrainedStepCountIsFlaggedNotFatal() {
        DistillationResult r = tinyRun(dev.sfd.core.diffusion.mixture.Mixture2d.ring().noiseModel());
        try (StudentSampler s = new StudentSampler(new StudentCheckpoint(r.student(), r.metadata(), ""),
                SessionConfig.cpu(1))) {
            StudentSample x = s.sample(new long[] {1, 2}, new int[] {0, 1}, 8, 1.0);
            assertTrue(x.untrained());
            assertTrue(x.warning().contains("not trained"), x.warning());
            assertArrayEquals(r.metadata().schedule().schedule().timestampsDescending(8), x.timestamps());
            assertFalse(s.sample(new long[] {1}, new int[] {0}, 5, 1.0).untrained());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> s.sample(new long[] {1}, new int[] {0}, 1, 1.0));
            assertTrue(e.getMessage().contains("N >= 2"), e.getMessage());
        }
    }

    /** Counts calls and notes whether any row carried the ∅ label. */
    static final class RecordingModel implements NoiseModel {
        final NoiseModel inner;
        boolean sawNullLabel;
        int calls;

        RecordingModel(NoiseModel inner) {
            this.inner = inner;
        }

        @Override
        public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
            calls++;
            for (int i = 0; i < x.batch(); i++) {
                sawNullLabel |= c.labelOf(i) == Condition.NULL_LABEL;
            }
            return inner.epsilon(x, t, c);
        }
    }
}
