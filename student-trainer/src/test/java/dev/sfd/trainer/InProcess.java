package dev.sfd.trainer;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.core.trajectory.TrajectoryHeader;
import dev.sfd.core.trajectory.TrajectorySegment;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import dev.sfd.pipeline.trainer.CheckpointPolicy;
import dev.sfd.pipeline.trainer.RecordPosition;
import dev.sfd.pipeline.trainer.SegmentRecord;
import dev.sfd.pipeline.trainer.TrainerSettings;
import dev.sfd.pipeline.trainer.TrainerStage;
import dev.sfd.pipeline.trainer.TrajectoryBatcher;
import dev.sfd.pipeline.trainer.TrajectoryExpectation;
import java.time.Duration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /** Whole trajectories from their segments, in first-segment order. */
    static List<Trajectory> trajectories(List<TrajectorySegment> segments) {
        Map<String, TrajectoryHeader> headers = new LinkedHashMap<>();
        Map<String, List<FloatTensor>> points = new LinkedHashMap<>();
        for (TrajectorySegment s : segments) {
            if (s.header() != null) {
                headers.put(s.trajectoryId(), s.header());
            }
            points.computeIfAbsent(s.trajectoryId(), k -> new ArrayList<>()).add(s.tensor());
        }
        List<Trajectory> out = new ArrayList<>();
        headers.forEach((id, h) -> out.add(new Trajectory(h, points.get(id))));
        return out;
    }

    /**
     * Trains on the trajectories in batches of {@link #BATCH} (in order when {@code shuffleSeed} < 0,
     * else shuffled with that seed) and returns the student file.
     */
    static Path train(List<TrajectorySegment> segments, long shuffleSeed) throws Exception {
        List<Trajectory> all = trajectories(segments);
        if (shuffleSeed >= 0) {
            SplitMix64 r = new SplitMix64(shuffleSeed);
            for (int i = all.size() - 1; i > 0; i--) {
                int j = (int) Math.floorMod(r.nextLong(), (long) i + 1);
                Trajectory t = all.get(i);
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

    /** The trainer stage (the service's logic, shuffle window 64 as in the IT) fed the records on one partition. */
    static Path trainStage(List<TrajectorySegment> segments) throws Exception {
        try (SfdStudentTrainer trainer = trainer()) {
            TrainerStage stage = new TrainerStage(trainer, TrajectoryExpectation.of(TrajectoryProducer.INFO, config()),
                    new TrainerSettings("in-process", "none", 64, 0, 4096, Duration.ofMinutes(5), 100_000,
                            new CheckpointPolicy(1000, 0), "test"), 0);
            List<SegmentRecord> records = new ArrayList<>();
            for (int i = 0; i < segments.size(); i++) {
                TrajectorySegment s = segments.get(i);
                records.add(new SegmentRecord(new RecordPosition(0, i), s.trajectoryId(),
                        TrajectorySegmentCodec.encode(s)));
            }
            stage.accept(records, 0);
            stage.drain();
            Path file = Files.createTempFile("in-process-stage", ".onnx");
            Files.write(file, trainer.result(0, 0).student().toBytes());
            return file;
        }
    }

    private InProcess() {
    }
}
