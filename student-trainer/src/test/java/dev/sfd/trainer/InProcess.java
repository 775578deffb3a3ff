package dev.sfd.trainer;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.pipeline.trainer.CheckpointPolicy;
import dev.sfd.pipeline.trainer.RecordPosition;
import dev.sfd.pipeline.trainer.TrainerSettings;
import dev.sfd.pipeline.trainer.TrainerStage;
import dev.sfd.pipeline.trainer.TrainingRow;
import dev.sfd.pipeline.trainer.TrajectoryBatcher;
import dev.sfd.pipeline.trainer.TrajectoryExpectation;
import dev.sfd.pipeline.trainer.TrajectoryRecord;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** SfdStudentTrainer fed trajectories in process, with the service's default recipe and its test batch size. */
final class InProcess {

    static final int BATCH = 32;

    static SfdConfig config() {
        return SfdConfig.builder(TrajectoryProducer.schedule()).solver("dpm++2m").k(8).stepCounts(List.of(3)).afs(true)
                .batch(BATCH).learningRate(1e-3).budget(100_000).seed(0).threads(1).lrDropFraction(0.5)
                .progress(false).build();
    }

    static SfdStudentTrainer trainer() {
        var info = TrajectoryProducer.INFO;
        return new SfdStudentTrainer(info, StudentFromTeacher.build(TrajectoryProducer.TEACHER.model(),
                info.timeEmbedding(), info.timeEmbeddingWidth(), 0), config(), SessionConfig.cpu(1));
    }

    /** Every row of the blocks, in block order. */
    static List<TrainingRow> rows(List<TrajectoryBlock> blocks) {
        List<TrainingRow> out = new ArrayList<>();
        for (TrajectoryBlock b : blocks) {
            for (int r = 0; r < b.rows(); r++) {
                out.add(TrainingRow.of(b, r));
            }
        }
        return out;
    }

    /**
     * Trains on the trajectories in batches of {@link #BATCH} (in order when {@code shuffleSeed} < 0,
     * else shuffled with that seed) and returns the student file.
     */
    static Path train(List<TrajectoryBlock> blocks, long shuffleSeed) throws Exception {
        List<TrainingRow> all = rows(blocks);
        if (shuffleSeed >= 0) {
            SplitMix64 r = new SplitMix64(shuffleSeed);
            for (int i = all.size() - 1; i > 0; i--) {
                int j = (int) Math.floorMod(r.nextLong(), (long) i + 1);
                TrainingRow t = all.get(i);
                all.set(i, all.get(j));
                all.set(j, t);
            }
        }
        try (SfdStudentTrainer trainer = trainer()) {
            for (int from = 0; from < all.size(); from += BATCH) {
                var s = TrajectoryBatcher.stack(all.subList(from, Math.min(all.size(), from + BATCH)));
                trainer.train(s.trajectory(), s.labels());
            }
            Path file = Files.createTempFile("in-process-student", ".onnx");
            Files.write(file, trainer.result(0, 0).student().toBytes());
            return file;
        }
    }

    /** The trainer stage (the service's logic, shuffle window 64 as in the IT) fed the blocks on one partition. */
    static Path trainStage(List<TrajectoryBlock> blocks) throws Exception {
        try (SfdStudentTrainer trainer = trainer();
             TrainerStage stage = new TrainerStage(trainer, TrajectoryExpectation.of(TrajectoryProducer.INFO, config()),
                     new TrainerSettings("in-process", "none", 64, 0, 1, Path.of(System.getProperty("java.io.tmpdir")),
                             new CheckpointPolicy(1000, 0), "test"), 0)) {
            List<TrajectoryRecord> records = new ArrayList<>();
            for (int i = 0; i < blocks.size(); i++) {
                TrajectoryBlock b = blocks.get(i);
                records.add(new TrajectoryRecord(new RecordPosition(0, i), b.blockId(), TrajectoryBlockCodec.encode(b)));
            }
            stage.accept(stage.newIntake().checkAll(records));
            stage.drain();
            Path file = Files.createTempFile("in-process-stage", ".onnx");
            Files.write(file, trainer.result(0, 0).student().toBytes());
            return file;
        }
    }

    private InProcess() {
    }
}
