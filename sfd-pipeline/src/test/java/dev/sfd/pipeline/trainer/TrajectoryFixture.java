package dev.sfd.pipeline.trainer;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TrajectoryHeader;
import dev.sfd.core.trajectory.TrajectorySegment;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import dev.sfd.pipeline.TeacherSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Real mixture2d teacher trajectories, encoded as the teacher writes them, on one partition. */
final class TrajectoryFixture {

    static final TeacherSource TEACHER = TeacherSource.resolve("mixture2d");
    static final TeacherInfo INFO = TEACHER.info();

    static SfdConfig config(int batch, long budget) {
        return SfdConfig.builder(ScheduleSpec.polynomial(INFO.tMin(), INFO.tMax())).solver("dpm++2m").k(8)
                .nfeCounts(List.of(2)).batch(batch).learningRate(1e-3).budget(budget).seed(0).threads(1)
                .progress(false).build();
    }

    static SfdStudentTrainer trainer(SfdConfig config) {
        return new SfdStudentTrainer(INFO, StudentFromTeacher.build(TEACHER.model(), INFO.timeEmbedding(),
                INFO.timeEmbeddingWidth(), 0), config, SessionConfig.cpu(1));
    }

    static TrainerStage stage(SfdStudentTrainer trainer, int window, long everySteps) {
        TrainerSettings s = new TrainerSettings("fixture-student", "sfd.trajectories", window, 7, 1000,
                Duration.ofMinutes(5), 10_000, new CheckpointPolicy(everySteps, 0), "test");
        return new TrainerStage(trainer, TrajectoryExpectation.of(INFO, trainer.config()), s, 0);
    }

    /** Segments of {@code count} trajectories (ids "t-<seed>"), in message order per trajectory. */
    static List<TrajectorySegment> segments(SfdConfig config, int count, long firstSeed) {
        int n = config.stepCounts().get(0);
        double[] t = config.schedule().schedule().timestampsDescending(n);
        long[] seeds = new long[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            seeds[i] = firstSeed + i;
            labels[i] = i % INFO.classes();
        }
        TeacherTrajectory traj;
        try (NoiseModel teacher = TEACHER.open(1)) {
            traj = new TrajectoryGenerator(teacher, new TeacherSolver(Solvers.byName(config.solver()),
                    config.schedule().schedule(), config.k())).generate(seeds, INFO.sampleShape(), t,
                    Condition.labels(labels));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        List<Double> ts = Arrays.stream(t).boxed().toList();
        List<TrajectorySegment> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TrajectoryHeader h = new TrajectoryHeader("t-" + seeds[i], config.schedule().kind(),
                    Map.of("t_min", config.schedule().tMin(), "t_max", config.schedule().tMax()), n, ts, seeds[i],
                    "", List.of(labels[i]), List.of(), INFO.id() + "@" + INFO.sha256(), traj.solver(), traj.k());
            out.add(TrajectorySegment.first(h, sample(traj.points().get(0), i)));
            for (int step = n - 1; step >= 0; step--) {
                out.add(TrajectorySegment.teacherPoint(h, step, sample(traj.pointAt(step), i)));
            }
        }
        return out;
    }

    /** The segments as records of partition 0 from offset {@code from}. */
    static List<SegmentRecord> records(List<TrajectorySegment> segments, long from) {
        List<SegmentRecord> out = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            TrajectorySegment s = segments.get(i);
            out.add(new SegmentRecord(new RecordPosition(0, from + i), s.trajectoryId(),
                    TrajectorySegmentCodec.encode(s)));
        }
        return out;
    }

    static FloatTensor sample(FloatTensor batch, int i) {
        long[] shape = batch.shape().clone();
        shape[0] = 1;
        return new FloatTensor(shape, batch.sample(i));
    }

    private TrajectoryFixture() {
    }
}
