package dev.sfd.pipeline.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.trajectory.TrajectorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stage on real mixture2d trajectories and the real ONNX Runtime trainer, without any transport. */
class TrainerStageTest {

    @Test
    void trainsBatchesDropsDuplicatesAndCommitsOnlyWhatIsTrained() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<TrajectorySegment> segs = TrajectoryFixture.segments(config, 40, 100);
        List<SegmentRecord> records = TrajectoryFixture.records(segs, 0);
        // the first trajectory again at the end (a teacher re-send): a duplicate, not trained twice
        List<SegmentRecord> resent = TrajectoryFixture.records(segs.subList(0, 4), records.size());
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config)) {
            TrainerStage stage = TrajectoryFixture.stage(trainer, 16, 1000);
            TrainerStage.Intake in = stage.accept(records, 0);
            assertTrue(in.rejections().isEmpty(), in.rejections().toString());
            // window 16: a batch of 8 is drawn each time a group reaches 16 → 40 arrivals give 4 batches
            assertEquals(4, stage.stats().trained.get() / 8);
            assertEquals(32, trainer.trajectoriesSeen());
            assertEquals(8, stage.bufferedTrajectories());
            // the buffered trajectories' records are open: the committable offset stops at the first of them
            long committable = stage.committable().get(0);
            assertTrue(committable < records.size(), "buffered records must not be committable: " + committable);
            stage.accept(resent, 0);
            assertEquals(1, stage.stats().duplicates.get());
            stage.drain();
            assertEquals(40, trainer.trajectoriesSeen());
            assertEquals(40, stage.appliedIds().size());
            assertEquals(records.size() + resent.size(), stage.committable().get(0),
                    "everything trained or dropped: commit past the last record");
        }
    }

    @Test
    void incompleteTrajectoryTimesOutWithItsIdAndReleasesItsOffsets() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<TrajectorySegment> segs = TrajectoryFixture.segments(config, 2, 500);
        List<SegmentRecord> partial = TrajectoryFixture.records(segs.subList(0, 2), 0); // 2 of 4 segments
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config)) {
            TrainerSettings s = new TrainerSettings("x", "t", 8, 1, 10, java.time.Duration.ofSeconds(30), 100,
                    new CheckpointPolicy(10, 0), "test");
            TrainerStage stage = new TrainerStage(trainer, TrajectoryExpectation.of(TrajectoryFixture.INFO, config),
                    s, 0);
            stage.accept(partial, 0);
            assertEquals(1, stage.pendingTrajectories());
            assertEquals(0, stage.committable().get(0), "a half-assembled trajectory is not committed");
            assertTrue(stage.expireIncomplete(29_000_000_000L).isEmpty());
            List<TrajectoryIntake.GivenUp> gone = stage.expireIncomplete(31_000_000_000L);
            assertEquals(1, gone.size());
            assertEquals("t-500", gone.get(0).trajectoryId());
            assertTrue(gone.get(0).why().contains("timeout"), gone.get(0).why());
            assertEquals(List.of("t-500"), stage.givenUpIds());
            assertEquals(2, stage.committable().get(0));
        }
    }

    /**
     * Run A trains on everything, taking a checkpoint midway; run B restores that checkpoint and
     * reads from its offsets. B's final weights, Adam state and applied ids equal A's exactly: no
     * trajectory applied twice, none skipped.
     */
    @Test
    void resumeFromACheckpointReproducesTheUninterruptedRunExactly() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<SegmentRecord> records = TrajectoryFixture.records(TrajectoryFixture.segments(config, 72, 1000), 0);
        int cut = 150; // mid-trajectory, with a few trajectories in the buffer
        CheckpointSnapshot snap;
        Map<String, float[]> weightsA;
        SfdStudentTrainer.State stateA;
        List<String> appliedA;
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config)) {
            TrainerStage a = TrajectoryFixture.stage(trainer, 16, 1000);
            a.accept(records.subList(0, cut), 0);
            snap = a.snapshot(0);
            assertTrue(a.bufferedTrajectories() > 0 && a.pendingTrajectories() > 0,
                    "the checkpoint must be taken with work in flight to test anything");
            a.accept(records.subList(cut, records.size()), 0);
            a.drain();
            weightsA = trainer.weights();
            stateA = trainer.state();
            appliedA = new ArrayList<>(a.appliedIds());
        }
        CheckpointManifest m = snap.draft();
        long from = snap.offsets().get(0);
        assertTrue(from < cut, "buffered and pending records are re-read after a resume");
        assertEquals(Map.of("0", from), m.offsets());
        TrainerState saved = TrainerState.fromBytes(snap.state());
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config)) {
            TrainerStage b = TrajectoryFixture.stage(trainer, 16, 1000);
            b.restore(m.withKeys("student.onnx", "state"), snap.onnx(), saved, 0);
            assertEquals(Map.of(0, from), b.seekPositions(List.of(0)));
            b.accept(records.subList((int) from, records.size()), 0);
            b.drain();
            assertEquals(appliedA, new ArrayList<>(b.appliedIds()), "same trajectories, same order");
            assertEquals(72, b.appliedIds().size());
            assertEquals(stateA.optimizerSteps(), trainer.state().optimizerSteps());
            assertEquals(stateA.adam().step(), trainer.state().adam().step());
            Map<String, float[]> weightsB = trainer.weights();
            assertEquals(weightsA.keySet(), weightsB.keySet());
            for (String p : weightsA.keySet()) {
                assertArrayEquals(weightsA.get(p), weightsB.get(p), 0f, "parameter " + p);
                assertArrayEquals(stateA.adam().m().get(p), trainer.state().adam().m().get(p), 0f, "m of " + p);
            }
            assertTrue(b.stats().duplicates.get() > 0, "trajectories applied before the checkpoint were re-read "
                    + "and dropped");
        }
    }

    @Test
    void replayPassesTrainTheSameTrajectoriesAgain() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<SegmentRecord> records = TrajectoryFixture.records(TrajectoryFixture.segments(config, 16, 2000), 0);
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config)) {
            TrainerStage stage = TrajectoryFixture.stage(trainer, 8, 1000);
            stage.accept(records, 0);
            assertTrue(stage.passComplete(Map.of(0, (long) records.size())));
            assertEquals(2, stage.startNextPass(List.of(0)));
            assertEquals(Map.of(0, 0L), stage.seekPositions(List.of(0)));
            stage.accept(records, 0);
            assertEquals(32, trainer.trajectoriesSeen(), "each trajectory once per pass");
            assertEquals(0, stage.stats().duplicates.get());
        }
    }

    @Test
    void cudaRequestedButUnavailableFailsInsteadOfFallingBackToTheCpu() {
        org.junit.jupiter.api.Assumptions.assumeFalse(new java.io.File("/dev/nvidia0").exists(),
                "a GPU is present: CUDA may well load here");
        SfdConfig config = TrajectoryFixture.config(8, 1000);
        var info = TrajectoryFixture.INFO;
        var student = dev.sfd.core.distill.StudentFromTeacher.build(TrajectoryFixture.TEACHER.model(),
                info.timeEmbedding(), info.timeEmbeddingWidth(), 0);
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> new SfdStudentTrainer(info, student, config, new dev.sfd.core.onnx.SessionConfig(
                        dev.sfd.core.onnx.ExecutionProvider.CUDA, 1, 0)).close());
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("cuda"), e.getMessage());
    }

    @Test
    void snapshotCarriesManifestFieldsAndOffsets() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<SegmentRecord> records = TrajectoryFixture.records(TrajectoryFixture.segments(config, 16, 3000), 0);
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config)) {
            TrainerStage stage = TrajectoryFixture.stage(trainer, 8, 2);
            stage.accept(records, 0);
            CheckpointSnapshot snap = stage.checkpointIfDue(1);
            assertNotNull(snap, "2 batches of N = 3 with AFS = 4 optimiser steps >= 2: due");
            CheckpointManifest m = snap.draft();
            assertEquals(16L, m.trajectoriesSeen());
            assertEquals(4L, m.step());
            assertEquals(Collections.singleton("3"), m.lossPerN().keySet());
            assertEquals(Map.of("0", 64L), m.offsets());
            assertEquals(1, m.pass());
            assertTrue(m.resumable() || m.stateKey() == null);
            assertEquals(snap.state().length, m.stateBytes());
            CheckpointManifest back = CheckpointManifest.fromJson(m.toJson());
            assertEquals(m, back);
            assertEquals(null, stage.checkpointIfDue(2), "nothing trained since: not due");
        }
    }
}
