package dev.sfd.pipeline.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.PromptRows;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.teachers.imports.text2image.PromptEncoder;
import dev.sfd.core.teachers.imports.text2image.PromptTable;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.pipeline.TextFixture;
import dev.sfd.pipeline.teacher.BlockRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The trainer stage on blocks the real teacher stage wrote for the text-to-image fixture: each row's prompt
 * text is re-encoded by the trainer's own prompt table, blocks whose condition_ref disagrees are refused,
 * and replay and resume work from the text alone.
 */
class TextTrainerStageTest {

    private static final TeacherInfo INFO = TextFixture.TEACHER.info();
    private static final PromptEncoder ENCODER = TextFixture.TEACHER.prompts();

    /** The real prompt table, remembering each [B, L, D] tensor it hands the trainer. */
    private static final class Fed implements PromptRows {
        final PromptRows real;
        final List<FloatTensor> fed = new ArrayList<>();

        Fed(PromptRows real) {
            this.real = real;
        }

        @Override
        public int size() {
            return real.size();
        }

        @Override
        public FloatTensor rows(long[] indices) {
            FloatTensor t = real.rows(indices);
            fed.add(t);
            return t;
        }
    }

    private static SfdStudentTrainer trainer(SfdConfig config, PromptRows rows) {
        return new SfdStudentTrainer(INFO, StudentFromTeacher.build(TextFixture.TEACHER.contract(), INFO.timeEmbedding(),
                INFO.timeEmbeddingWidth(), 0), config, SessionConfig.cpu(1), rows);
    }

    private static TrainerStage stage(SfdStudentTrainer trainer, PromptTable table, int window, int passes) {
        TrainerSettings s = new TrainerSettings("text-student", "sfd.trajectories", window, 7, passes,
                TrajectoryFixture.CACHE, new CheckpointPolicy(1000, 0), "test");
        return new TrainerStage(trainer, TrajectoryExpectation.of(INFO, trainer.config(), table), s, 0);
    }

    private static List<TrajectoryRecord> records(List<BlockRecord> blocks) {
        List<TrajectoryRecord> out = new ArrayList<>();
        for (int i = 0; i < blocks.size(); i++) {
            out.add(new TrajectoryRecord(new RecordPosition(0, i), blocks.get(i).key(), blocks.get(i).value()));
        }
        return out;
    }

    private static List<TrajectoryRecord> twoPrompts(int each, int rows) {
        return records(TextFixture.blocks(rows, TextFixture.prompt("s-red", "a red circle", each, 100),
                TextFixture.prompt("s-green", "one green triangle on black", each, 200)));
    }

    @Test
    void blocksOfTwoPromptsFeedEachRowItsOwnPromptsEmbedding() {
        SfdConfig config = TextFixture.trainerConfig(4, 10_000);
        PromptTable table = new PromptTable(ENCODER);
        Fed fed = new Fed(table);
        try (SfdStudentTrainer trainer = trainer(config, fed); TrainerStage stage = stage(trainer, table, 4, 1)) {
            assertTrue(trainer.conditional());
            assertEquals(1, stage.accept(stage.newIntake().checkAll(twoPrompts(2, 2))), "one batch of 4");
        }
        assertEquals(1, fed.fed.size());
        FloatTensor cond = fed.fed.get(0);
        assertArrayEquals(new long[] {4, ENCODER.maxTokens(), ENCODER.embedding("a red circle").shape()[2]},
                cond.shape(), "cond is [B, L, D]");
        float[] red = ENCODER.embedding("a red circle").data();
        float[] green = ENCODER.embedding("one green triangle on black").data();
        assertFalse(Arrays.equals(red, green));
        int reds = 0;
        int greens = 0;
        for (int row = 0; row < 4; row++) {
            float[] got = Arrays.copyOfRange(cond.data(), row * red.length, (row + 1) * red.length);
            reds += Arrays.equals(got, red) ? 1 : 0;
            greens += Arrays.equals(got, green) ? 1 : 0;
        }
        assertEquals(2, reds, "two rows of the red prompt");
        assertEquals(2, greens, "two rows of the green prompt");
        assertEquals(2, table.size());
    }

    @Test
    void aBlockWhoseConditionRefDiffersFromTheTrainersTokenizationIsRefusedNamingIt() throws Exception {
        PromptTable table = new PromptTable(ENCODER);
        BlockIntake intake = new BlockIntake(TrajectoryExpectation.of(INFO, TextFixture.trainerConfig(4, 100), table));
        TrajectoryRecord good = twoPrompts(1, 1).get(0);
        TrajectoryBlock b = TrajectoryBlockCodec.decode(good.value(), INFO.sha256());
        assertInstanceOf(BlockIntake.Accepted.class, intake.check(good));
        for (String bad : List.of("tokens-sha256:0123456789abcdef", "")) {
            TrajectoryBlock t = new TrajectoryBlock(b.teacherId(), b.teacherSha256(), b.solver(), b.k(), b.schedule(),
                    b.timestamps(), b.promptId(), b.prompt(), bad, b.sampleShape(), b.sampleIndex(), b.seed(),
                    b.label(), b.points());
            BlockIntake.Item item = intake.check(new TrajectoryRecord(good.position(), t.blockId(),
                    TrajectoryBlockCodec.encode(t)));
            BlockIntake.Refused r = assertInstanceOf(BlockIntake.Refused.class, item, "condition_ref '" + bad + "'");
            assertEquals(BlockValidator.CONDITION_REF_MISMATCH, r.rejection().code());
            String reason = r.rejection().reason();
            assertTrue(reason.contains("condition_ref") && reason.contains(b.conditionRef())
                    && reason.contains(bad) && reason.contains("a red circle"), reason);
        }
    }

    @Test
    void replayFromTheBlockCacheReEncodesThePromptsFromTheirText() {
        SfdConfig config = TextFixture.trainerConfig(4, 10_000);
        PromptTable table = new PromptTable(ENCODER);
        Fed fed = new Fed(table);
        List<TrajectoryRecord> records = twoPrompts(4, 2);
        try (SfdStudentTrainer trainer = trainer(config, fed); TrainerStage stage = stage(trainer, table, 4, 2)) {
            stage.accept(stage.newIntake().checkAll(records));
            stage.drain();
            assertEquals(8, trainer.trajectoriesSeen());
            assertEquals(2, stage.startNextPass());
            while (stage.replaying()) {
                stage.replayStep(2);
            }
            stage.drain();
            assertEquals(16, trainer.trajectoriesSeen(), "pass 2 trained every cached trajectory again");
        }
        assertEquals(4, fed.fed.size());
        assertEquals(2, table.size(), "no new prompt in the replay: the same two texts");
    }

    @Test
    void aResumedTrainerWithAFreshPromptTableContinuesExactlyAsTheUninterruptedOne() {
        SfdConfig config = TextFixture.trainerConfig(4, 10_000);
        List<TrajectoryRecord> records = twoPrompts(6, 2); // 6 blocks: red, red, red, green, green, green
        CheckpointSnapshot snap;
        Map<String, float[]> weightsA;
        PromptTable tableA = new PromptTable(ENCODER);
        try (SfdStudentTrainer trainer = trainer(config, tableA); TrainerStage a = stage(trainer, tableA, 8, 1)) {
            a.accept(a.newIntake().checkAll(records.subList(0, 3)));
            snap = a.snapshot(0);
            a.accept(a.newIntake().checkAll(records.subList(3, records.size())));
            a.drain();
            weightsA = trainer.weights();
        }
        long from = snap.offsets().get(0);
        PromptTable tableB = new PromptTable(ENCODER); // a restarted trainer: no prompt indices survive
        try (SfdStudentTrainer trainer = trainer(config, tableB); TrainerStage b = stage(trainer, tableB, 8, 1)) {
            b.restore(snap.draft().withKeys("student.onnx", "state"), snap.onnx(), TrainerState.fromBytes(snap.state()), 0);
            b.accept(b.newIntake().checkAll(records.subList((int) from, records.size())));
            b.drain();
            assertEquals(12, b.appliedIds().size());
            Map<String, float[]> weightsB = trainer.weights();
            for (String p : weightsA.keySet()) {
                assertArrayEquals(weightsA.get(p), weightsB.get(p), 0f, "parameter " + p);
            }
        }
    }
}
