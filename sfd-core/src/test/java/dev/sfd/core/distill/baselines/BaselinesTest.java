package dev.sfd.core.distill.baselines;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdDistiller;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.StudentNetwork;
import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.core.teachers.TeacherDatasets;
import dev.sfd.core.tensor.FloatTensor;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The baselines (TD, CD) and SFD's second stage on the built-in mixture2d teacher: their targets
 * equal the teacher (and target network) computed directly, short runs lower their own loss and
 * write students that record the method, and the second stage's teacher trajectory is the
 * first-stage student's own sample.
 */
class BaselinesTest {

    private static OnnxModel teacherModel;
    private static TeacherInfo info;
    private static Schedule schedule;

    @BeforeAll
    static void load() {
        teacherModel = BuiltinTeachers.load("mixture2d");
        info = TeacherInfo.of("mixture2d", teacherModel, teacherModel.toBytes());
        schedule = ScheduleSpec.polynomial(info.tMin(), info.tMax()).schedule();
    }

    private static NoiseModel openTeacher() {
        return OnnxNoiseModel.open("teacher", teacherModel.toBytes(), SessionConfig.cpu(1), OnnxNoiseModel.Names.defaults());
    }

    private static NoisedData.Batch batch(double t) {
        return new NoisedData(TeacherDatasets.of("mixture2d"), 3).draw(0, 64, t, true);
    }

    /** K Euler sub-steps written out by hand: x ← x + (t_{j+1} − t_j)·ε(x, t_j). */
    private static FloatTensor handEuler(NoiseModel m, FloatTensor x, double[] grid, Condition c) {
        for (int j = 0; j + 1 < grid.length; j++) {
            double[] ts = new double[x.batch()];
            java.util.Arrays.fill(ts, grid[j]);
            FloatTensor eps = m.epsilon(x, ts, c);
            float[] out = new float[x.data().length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (x.data()[i] + (grid[j + 1] - grid[j]) * eps.data()[i]);
            }
            x = new FloatTensor(x.shape().clone(), out);
        }
        return x;
    }

    @Test
    void noisedDataIsTheDataPlusScaledNoiseAndReproducible() {
        NoisedData.Batch a = batch(2.5);
        NoisedData.Batch b = batch(2.5);
        assertArrayEquals(a.noised().data(), b.noised().data());
        NoisedData.Batch zero = new NoisedData(TeacherDatasets.of("mixture2d"), 3).draw(0, 64, 0.0, true);
        assertArrayEquals(zero.x0().data(), zero.noised().data()); // t = 0: no noise
        double var = 0;
        for (int i = 0; i < a.x0().data().length; i++) {
            double e = (a.noised().data()[i] - a.x0().data()[i]) / 2.5;
            var += e * e;
        }
        var /= a.x0().data().length;
        assertTrue(var > 0.6 && var < 1.5, "noise variance per element " + var); // ε ~ N(0, 1), 128 draws
    }

    @Test
    void tdTargetIsOneTeacherSolverStepComputedDirectly() {
        double[] t = schedule.timestampsDescending(4);
        NoisedData.Batch b = batch(t[1]);
        Condition c = Condition.labels(b.labels());
        try (NoiseModel teacher = openTeacher()) {
            FloatTensor td = BaselineTargets.td(teacher, new TeacherSolver(Solvers.byName("euler"), schedule, 4),
                    b.noised(), t[1], t[2], c);
            FloatTensor hand = handEuler(teacher, b.noised(), schedule.between(t[1], t[2], 4), c);
            assertArrayEquals(hand.data(), td.data(), 1e-5f);
            FloatTensor td2m = BaselineTargets.td(teacher, new TeacherSolver(Solvers.byName("dpm++2m"), schedule, 8),
                    b.noised(), t[1], t[2], c);
            FloatTensor direct = Solvers.byName("dpm++2m").solve(teacher, b.noised(), schedule.between(t[1], t[2], 8), c);
            assertArrayEquals(direct.data(), td2m.data(), 0f);
        }
    }

    @Test
    void cdTargetIsTheTeacherStepThenTheTargetNetworksJumpToTMin() {
        double[] t = schedule.timestampsDescending(4);
        NoisedData.Batch b = batch(t[1]);
        Condition c = Condition.labels(b.labels());
        StudentFromTeacher.StudentGraph student = StudentFromTeacher.build(teacherModel, info.timeEmbedding(),
                info.timeEmbeddingWidth(), 1);
        try (NoiseModel teacher = openTeacher();
                StudentNetwork target = new StudentNetwork(student.model(), SessionConfig.cpu(1))) {
            TeacherSolver solver = new TeacherSolver(Solvers.byName("euler"), schedule, 4);
            FloatTensor cd = BaselineTargets.cd(teacher, solver, target.atSteps(4), b.noised(), t[1], t[2], t[4], c);
            FloatTensor xHat = handEuler(teacher, b.noised(), schedule.between(t[1], t[2], 4), c);
            FloatTensor expected = handEuler(target.atSteps(4), xHat, new double[] {t[2], t[4]}, c); // one Euler jump to t_min
            assertArrayEquals(expected.data(), cd.data(), 1e-5f);
            // on the last interval the boundary condition f(x, t_min) = x makes CD's target TD's
            FloatTensor last = BaselineTargets.cd(teacher, solver, target.atSteps(4), b.noised(), t[3], t[4], t[4], c);
            assertArrayEquals(BaselineTargets.td(teacher, solver, b.noised(), t[3], t[4], c).data(), last.data(), 0f);
        }
        assertEquals(schedule.tMin() - 3.0, BaselineTargets.dt(BaselineMethod.CD, 3.0, 1.0, schedule.tMin()), 0);
        assertEquals(1.0 - 3.0, BaselineTargets.dt(BaselineMethod.TD, 3.0, 1.0, schedule.tMin()), 0);
    }

    private static SfdConfig config(long budget) {
        return SfdConfig.builder(ScheduleSpec.polynomial(info.tMin(), info.tMax())).solver("dpm++2m").k(4)
                .nfeCounts(List.of(2, 3)).batch(128).learningRate(1e-3).budget(budget).seed(5).threads(2).build();
    }

    private static DistillationResult baseline(BaselineConfig config) {
        try (NoiseModel teacher = openTeacher()) {
            return new BaselineDistiller(teacher, info, StudentFromTeacher.build(teacherModel, info.timeEmbedding(),
                    info.timeEmbeddingWidth(), 5), config, TeacherDatasets.of("mixture2d")).run();
        }
    }

    @Test
    void shortRunsLowerTheirLossAndRecordTheMethod(@TempDir Path dir) {
        for (BaselineConfig cfg : List.of(BaselineConfig.td(config(3840)), BaselineConfig.cd(config(3840), 0.9, 1))) {
            DistillationResult r = baseline(cfg);
            double late = r.finalLossByN().values().stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertTrue(late < 0.8 * r.firstLoss(), cfg.method() + ": loss " + r.firstLoss() + " -> " + r.finalLossByN());
            // 30 SFD batches at N in {3, 4} with AFS: 2 or 3 Adam steps each, and K=4 teacher steps of 2M per Adam step
            assertTrue(r.optimizerSteps() >= 60 && r.optimizerSteps() <= 90, "Adam steps " + r.optimizerSteps());
            assertEquals(4L * r.optimizerSteps(), r.teacherNfe(), "teacher calls of " + cfg.method());
            StudentCheckpoint saved = StudentCheckpoint.save(r.student(), dir.resolve(cfg.method().id() + ".onnx"));
            StudentCheckpoint back = StudentCheckpoint.load(dir.resolve(cfg.method().id() + ".onnx"));
            assertEquals(cfg.method().id(), back.model().metadata().get(BaselineMethod.METADATA_KEY));
            assertEquals(List.of(3, 4), back.metadata().stepCounts());
            assertTrue(back.metadata().optimizer().contains("\"method\":\"" + cfg.method().id() + "\""),
                    back.metadata().optimizer());
            try (StudentSampler s = new StudentSampler(saved, SessionConfig.cpu(1))) { // samples like any student
                StudentSample x = s.sampleAtNfe(new long[] {1, 2, 3}, new int[] {0, 1, 2}, 2, 1.0);
                assertEquals(2, x.nfe());
                x.samples().requireFinite(cfg.method().id() + " student sample");
            }
        }
    }

    @Test
    void targetNetworkWithZeroRateIsTheStudentAndWithARateLags() {
        StudentFromTeacher.StudentGraph student = StudentFromTeacher.build(teacherModel, info.timeEmbedding(),
                info.timeEmbeddingWidth(), 1);
        var params = student.model().parameters();
        String name = params.keySet().iterator().next();
        float[] initial = dev.sfd.core.onnx.Tensors.toFloats(params.get(name));
        float[] moved = initial.clone();
        for (int i = 0; i < moved.length; i++) {
            moved[i] += 1f;
        }
        java.util.Map<String, FloatTensor> current = java.util.Map.of(name,
                new FloatTensor(new long[] {moved.length}, moved));
        try (TargetNetwork zero = new TargetNetwork(student.model(), List.of(name), 0.0, 1, SessionConfig.cpu(1));
                TargetNetwork lagging = new TargetNetwork(student.model(), List.of(name), 0.75, 2, SessionConfig.cpu(1))) {
            zero.update(current);
            lagging.update(current);
            assertEquals(1, zero.refreshes());
            assertEquals(0, lagging.refreshes()); // served weights refreshed every second update only
            lagging.update(current); // ψ⁻ = 0.75·(0.75·ψ₀ + 0.25·ψ) + 0.25·ψ = ψ₀ + 0.4375
            assertEquals(1, lagging.refreshes());
            FloatTensor x = new FloatTensor(new long[] {2, 2}, new float[] {0.3f, -1f, 2f, 0.5f});
            double[] ts = {1.0, 1.0};
            Condition c = Condition.labels(0, 1);
            try (StudentNetwork moveNet = new StudentNetwork(student.model().withParameterValues(
                    java.util.Map.of(name, moved)), SessionConfig.cpu(1))) {
                assertArrayEquals(moveNet.epsilon(x, ts, c, 3).data(), zero.atSteps(3).epsilon(x, ts, c).data(), 0f);
                try (StudentNetwork start = new StudentNetwork(student.model(), SessionConfig.cpu(1))) { // the move shows
                    assertFalse(Arrays.equals(start.epsilon(x, ts, c, 3).data(), moveNet.epsilon(x, ts, c, 3).data()));
                }
            }
            float[] lag = initial.clone();
            for (int i = 0; i < lag.length; i++) {
                lag[i] = (float) (0.75 * (0.75 * initial[i] + 0.25 * moved[i]) + 0.25 * moved[i]);
            }
            try (StudentNetwork lagNet = new StudentNetwork(student.model().withParameterValues(
                    java.util.Map.of(name, lag)), SessionConfig.cpu(1))) {
                assertArrayEquals(lagNet.epsilon(x, ts, c, 3).data(), lagging.atSteps(3).epsilon(x, ts, c).data(), 1e-5f);
            }
        }
    }

    @Test
    void secondStageTeacherTrajectoryIsTheFirstStudentsOwnSampleAndItsStudentTakesOneStep(@TempDir Path dir) {
        DistillationResult first;
        try (NoiseModel teacher = openTeacher()) {
            first = new SfdDistiller(teacher, info, StudentFromTeacher.build(teacherModel, info.timeEmbedding(),
                    info.timeEmbeddingWidth(), 5), config(512)).run();
        }
        StudentCheckpoint firstCp = StudentCheckpoint.save(first.student(), dir.resolve("first.onnx"));
        SecondStage.Plan plan = SecondStage.plan(firstCp, 0);
        assertEquals(4, plan.firstSteps()); // the largest trained N (3, 4) divisible by N2 = 2
        assertEquals(2, plan.steps());
        assertEquals(2, plan.k());
        long[] seeds = {11, 12, 13, 14};
        int[] labels = {0, 3, 5, 7};
        try (FirstStageTeacher t = new FirstStageTeacher(new StudentNetwork(firstCp.model(), SessionConfig.cpu(1)),
                4, info.tMax(), true);
                StudentSampler own = new StudentSampler(firstCp, SessionConfig.cpu(1))) {
            SfdConfig cfg = plan.config().batch(64).budget(256).learningRate(1e-4).seed(2).threads(1).build();
            TeacherTrajectory traj = new TrajectoryGenerator(t, new TeacherSolver(Solvers.byName("euler"),
                    cfg.schedule().schedule(), plan.k())).generate(seeds, new long[] {2},
                    cfg.schedule().schedule().timestampsDescending(2), Condition.labels(labels));
            StudentSample sample = own.sample(seeds, labels, 4, 1.0);
            assertArrayEquals(sample.samples().data(), traj.last().data(), 1e-5f);
        }
        SfdConfig cfg = plan.config().batch(64).budget(512).learningRate(1e-4).seed(2).threads(1).build();
        DistillationResult r = SecondStage.run(plan, cfg, SessionConfig.cpu(1), (s, n, l) -> { });
        StudentCheckpoint second = StudentCheckpoint.save(r.student(), dir.resolve("second.onnx"));
        assertEquals(List.of(2), second.metadata().stepCounts());
        assertEquals(1, second.metadata().nfe(2));
        var meta = second.model().metadata();
        assertEquals("sfd-second-stage", meta.get(BaselineMethod.METADATA_KEY));
        assertEquals(firstCp.sha256(), meta.get(BaselineMethod.FIRST_STAGE_SHA256));
        assertEquals(info.sha256(), meta.get(SecondStage.ORIGINAL_TEACHER_SHA256));
        try (StudentSampler s = new StudentSampler(second, SessionConfig.cpu(1))) {
            assertEquals(1, s.sampleAtNfe(seeds, labels, 1, 1.0).nfe());
        }
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> SecondStage.plan(firstCp, 3));
        assertTrue(odd.getMessage().contains("N1 = 3"), odd.getMessage());
    }
}
