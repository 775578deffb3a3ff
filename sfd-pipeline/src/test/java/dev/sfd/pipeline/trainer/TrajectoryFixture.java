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
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.pipeline.TeacherSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Real mixture2d teacher trajectories, encoded as blocks as the teacher writes them, on one partition. */
final class TrajectoryFixture {

    static final TeacherSource TEACHER = TeacherSource.resolve("mixture2d");
    static final TeacherInfo INFO = TEACHER.info();
    static final Path CACHE = Path.of(System.getProperty("java.io.tmpdir"), "sfd-test-replay-cache");

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
        return stage(trainer, window, everySteps, 1);
    }

    static TrainerStage stage(SfdStudentTrainer trainer, int window, long everySteps, int passes) {
        TrainerSettings s = new TrainerSettings("fixture-student", "sfd.trajectories", window, 7, passes, CACHE,
                new CheckpointPolicy(everySteps, 0), "test");
        return new TrainerStage(trainer, TrajectoryExpectation.of(INFO, trainer.config()), s, 0);
    }

    /**
     * {@code count} trajectories of prompt {@code promptId} (sample i has seed firstSeed + i), cut
     * into blocks of {@code rows}, made by {@code info}'s teacher id and sha256.
     */
    static List<TrajectoryBlock> blocks(SfdConfig config, String promptId, int count, long firstSeed, int rows,
                                        String sha256) {
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
        int d = (int) traj.points().get(0).sampleSize();
        List<TrajectoryBlock> out = new ArrayList<>();
        for (int from = 0; from < count; from += rows) {
            int b = Math.min(rows, count - from);
            int[] index = new int[b];
            long[] seed = new long[b];
            int[] label = new int[b];
            for (int r = 0; r < b; r++) {
                index[r] = from + r;
                seed[r] = seeds[from + r];
                label[r] = labels[from + r];
            }
            float[] points = new float[(n + 1) * b * d];
            for (int i = 0; i <= n; i++) {
                System.arraycopy(traj.points().get(i).data(), from * d, points, i * b * d, b * d);
            }
            out.add(new TrajectoryBlock(INFO.id(), sha256, traj.solver(), traj.k(), config.schedule().kind(), t,
                    promptId, "", "", INFO.sampleShape(), index, seed, label, points));
        }
        return out;
    }

    static List<TrajectoryBlock> blocks(SfdConfig config, String promptId, int count, long firstSeed, int rows) {
        return blocks(config, promptId, count, firstSeed, rows, INFO.sha256());
    }

    /** The blocks as records of partition 0 from offset {@code from}. */
    static List<TrajectoryRecord> records(List<TrajectoryBlock> blocks, long from) {
        List<TrajectoryRecord> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            TrajectoryBlock b = blocks.get(i);
            out.add(new TrajectoryRecord(new RecordPosition(0, from + i), b.blockId(), TrajectoryBlockCodec.encode(b)));
        }
        return out;
    }

    /** What the consumer thread's intake makes of {@code records}. */
    static List<BlockIntake.Item> checked(TrainerStage stage, List<TrajectoryRecord> records) {
        return stage.newIntake().checkAll(records);
    }

    private TrajectoryFixture() {
    }
}
