package dev.sfd.pipeline.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.trajectory.TrajectoryBlock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The stage on real mixture2d trajectories and the real ONNX Runtime trainer, without any transport. */
class TrainerStageTest {

    @Test
    void trainsBatchesAcrossBlocksDropsDuplicatesAndCommitsOnlyWhatIsTrained() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<TrajectoryBlock> blocks = TrajectoryFixture.blocks(config, "p", 40, 100, 4); // 10 blocks of 4
        List<TrajectoryRecord> records = TrajectoryFixture.records(blocks, 0);
        // the first block again at the end (a teacher re-send), cut differently: rows 0..5 in one block
        List<TrajectoryRecord> resent = TrajectoryFixture.records(TrajectoryFixture.blocks(config, "p", 6, 100, 6),
                records.size());
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config);
             TrainerStage stage = TrajectoryFixture.stage(trainer, 16, 1000)) {
            stage.accept(TrajectoryFixture.checked(stage, records));
            // window 16: a batch of 8 is drawn each time a group reaches 16 → 40 arrivals give 4 batches
            assertEquals(4, stage.stats().trained.get() / 8);
            assertEquals(32, trainer.trajectoriesSeen());
            assertEquals(8, stage.bufferedTrajectories());
            // the buffered rows' blocks are open: the committable offset stops at the first of them
            long committable = stage.committable().get(0);
            assertTrue(committable < records.size(), "buffered blocks must not be committable: " + committable);
            stage.accept(TrajectoryFixture.checked(stage, resent));
            assertEquals(6, stage.stats().duplicates.get(), "every row of the re-sent block was applied or buffered");
            stage.drain();
            assertEquals(40, trainer.trajectoriesSeen());
            assertEquals(40, new HashSet<>(stage.appliedIds()).size());
            assertEquals(records.size() + resent.size(), stage.committable().get(0),
                    "everything trained or dropped: commit past the last record");
            TrainerState state = TrainerState.fromBytes(stage.snapshot(0).state());
            assertEquals(List.of("0-39~100:p"), state.appliedRanges(), "40 trajectories, one range");
            assertEquals(40, state.appliedTrajectoryIds().size());
        }
    }

    /**
     * Issue 27, defect 10, with blocks: a topic that still holds another teacher's blocks, then one
     * prompt of the right teacher. The foreign blocks are refused whole (dead-lettered, nothing of
     * them pending), the new ones are trained, the pass ends and the end-of-input checkpoint is
     * taken.
     */
    @Test
    void foreignTeachersBlocksAreRefusedWholeAndTheRightTeachersPromptIsTrainedAndCheckpointed() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<TrajectoryBlock> foreign = TrajectoryFixture.blocks(config, "old", 40, 1, 8, "0".repeat(64));
        List<TrajectoryBlock> mine = TrajectoryFixture.blocks(config, "new", 36, 500, 8);
        List<TrajectoryBlock> all = new ArrayList<>(foreign);
        all.addAll(mine);
        List<TrajectoryRecord> records = TrajectoryFixture.records(all, 0);
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config);
             TrainerStage stage = TrajectoryFixture.stage(trainer, 16, 1_000_000)) {
            List<BlockIntake.Item> items = TrajectoryFixture.checked(stage, records);
            List<BlockIntake.Refused> refused = items.stream().filter(i -> i instanceof BlockIntake.Refused)
                    .map(i -> (BlockIntake.Refused) i).toList();
            assertEquals(foreign.size(), refused.size(), "every foreign block is refused");
            refused.forEach(r -> assertEquals("TEACHER_MISMATCH", r.rejection().code()));
            assertTrue(refused.get(0).rejection().reason().contains("teacher_sha256"), refused.get(0).toString());
            stage.accept(items);
            assertEquals(foreign.size(), stage.stats().deadLetters.get());
            assertTrue(stage.passComplete(Map.of(0, (long) records.size())), "nothing pending: the pass has ended");
            stage.drain();
            assertEquals(36, trainer.trajectoriesSeen(), "every trajectory of the right teacher trained");
            assertEquals(Map.of(0, (long) records.size()), stage.committable(), "everything finished with");
            assertTrue(stage.trainedSinceCheckpoint());
            CheckpointSnapshot end = stage.snapshotIfTrained(1);
            assertEquals(36L, end.draft().trajectoriesSeen());
            assertNull(stage.snapshotIfTrained(2), "nothing trained since: no second checkpoint of the same step");
            assertEquals(Map.of("0", (long) records.size()), end.draft().offsets());
            assertEquals(List.of("0-35~500:new"), TrainerState.fromBytes(end.state()).appliedRanges());
        }
    }

    /**
     * Run A trains on everything, taking a checkpoint midway; run B restores that checkpoint and
     * reads from its offsets. B's final weights, Adam state and applied trajectories equal A's
     * exactly: no trajectory applied twice, none skipped.
     */
    @Test
    void resumeFromACheckpointReproducesTheUninterruptedRunExactly() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<TrajectoryRecord> records = TrajectoryFixture.records(TrajectoryFixture.blocks(config, "r", 72, 1000, 6),
                0);
        int cut = 5; // 30 trajectories in, a few in the buffer
        CheckpointSnapshot snap;
        Map<String, float[]> weightsA;
        SfdStudentTrainer.State stateA;
        List<String> appliedA;
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config);
             TrainerStage a = TrajectoryFixture.stage(trainer, 16, 1000)) {
            a.accept(TrajectoryFixture.checked(a, records.subList(0, cut)));
            snap = a.snapshot(0);
            assertTrue(a.bufferedTrajectories() > 0, "the checkpoint must be taken with work in flight to test anything");
            a.accept(TrajectoryFixture.checked(a, records.subList(cut, records.size())));
            a.drain();
            weightsA = trainer.weights();
            stateA = trainer.state();
            appliedA = new ArrayList<>(a.appliedIds());
        }
        CheckpointManifest m = snap.draft();
        long from = snap.offsets().get(0);
        assertTrue(from < cut, "buffered blocks are re-read after a resume");
        assertEquals(Map.of("0", from), m.offsets());
        TrainerState saved = TrainerState.fromBytes(snap.state());
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config);
             TrainerStage b = TrajectoryFixture.stage(trainer, 16, 1000)) {
            b.restore(m.withKeys("student.onnx", "state"), snap.onnx(), saved, 0);
            assertEquals(Map.of(0, from), b.seekPositions(List.of(0)));
            b.accept(TrajectoryFixture.checked(b, records.subList((int) from, records.size())));
            b.drain();
            assertEquals(appliedA, new ArrayList<>(b.appliedIds()));
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
    void replayPassesTrainTheSameTrajectoriesAgainFromTheLocalCacheWithoutTouchingOffsets() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<TrajectoryRecord> records = TrajectoryFixture.records(TrajectoryFixture.blocks(config, "q", 16, 2000, 4),
                0);
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config);
             TrainerStage stage = TrajectoryFixture.stage(trainer, 8, 1000, 3)) {
            stage.accept(TrajectoryFixture.checked(stage, records));
            assertTrue(stage.passComplete(Map.of(0, (long) records.size())));
            Map<Integer, Long> firstPass = stage.committable();
            assertEquals(2, stage.startNextPass());
            assertTrue(stage.replaying());
            assertFalse(stage.passComplete(Map.of(0, (long) records.size())), "not complete while replaying");
            while (stage.replaying()) {
                stage.replayStep(2);
            }
            assertEquals(firstPass, stage.committable(), "offsets stay at first-pass progress");
            assertEquals(Map.of(0, (long) records.size()), stage.seekPositions(List.of(0)), "no seek back");
            stage.drain();
            assertEquals(32, trainer.trajectoriesSeen(), "each trajectory once per pass");
            assertEquals(0, stage.stats().duplicates.get());
            assertEquals(4, stage.stats().cachedBlocks.get());
        }
    }

    /** A trainer killed in pass 2 refills its cache from the topic below the checkpoint's offsets, trains none of it again in pass 1, and finishes pass 2. */
    @Test
    void resumeInAReplayPassRefillsTheCacheAndFinishesThePass() {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<TrajectoryRecord> records = TrajectoryFixture.records(TrajectoryFixture.blocks(config, "z", 32, 9000, 8),
                0);
        CheckpointSnapshot snap;
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config);
             TrainerStage a = TrajectoryFixture.stage(trainer, 8, 1000, 2)) {
            a.accept(TrajectoryFixture.checked(a, records));
            a.drain();
            a.startNextPass();
            a.replayStep(2); // half of pass 2
            snap = a.snapshot(0);
        }
        TrainerState saved = TrainerState.fromBytes(snap.state());
        assertEquals(2, saved.pass());
        assertEquals(16, saved.appliedTrajectoryIds().size(), "2 of 4 blocks replayed");
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config);
             TrainerStage b = TrajectoryFixture.stage(trainer, 8, 1000, 2)) {
            b.restore(snap.draft().withKeys("student.onnx", "state"), snap.onnx(), saved, 0);
            assertEquals(Map.of(0, 4L), b.refillBelow());
            assertEquals(Map.of(0, 0L), b.seekPositions(List.of(0)), "refill reads from the beginning");
            long seen = trainer.trajectoriesSeen();
            b.accept(TrajectoryFixture.checked(b, records));
            assertEquals(seen, trainer.trajectoriesSeen(), "refilled records are not trained again");
            assertTrue(b.refillBelow().isEmpty() && b.replaying(), "refill done: pass 2 continues from the cache");
            while (b.replaying()) {
                b.replayStep(4);
            }
            b.drain();
            assertEquals(seen + 16, trainer.trajectoriesSeen(), "the 16 trajectories pass 2 had not applied yet");
            assertEquals(32, new HashSet<>(b.appliedIds()).size());
            assertEquals(Map.of(0, 4L), b.committable());
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
        List<TrajectoryRecord> records = TrajectoryFixture.records(TrajectoryFixture.blocks(config, "s", 16, 3000, 4),
                0);
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config);
             TrainerStage stage = TrajectoryFixture.stage(trainer, 8, 2)) {
            stage.accept(TrajectoryFixture.checked(stage, records));
            CheckpointSnapshot snap = stage.checkpointIfDue(1);
            assertNotNull(snap, "2 batches of N = 3 with AFS = 4 optimiser steps >= 2: due");
            CheckpointManifest m = snap.draft();
            assertEquals(16L, m.trajectoriesSeen());
            assertEquals(4L, m.step());
            assertEquals(Collections.singleton("3"), m.lossPerN().keySet());
            assertEquals(Map.of("0", 4L), m.offsets());
            assertEquals(1, m.pass());
            assertTrue(m.resumable() || m.stateKey() == null);
            assertEquals(snap.state().length, m.stateBytes());
            CheckpointManifest back = CheckpointManifest.fromJson(m.toJson());
            assertEquals(m, back);
            assertEquals(null, stage.checkpointIfDue(2), "nothing trained since: not due");
        }
    }
}
