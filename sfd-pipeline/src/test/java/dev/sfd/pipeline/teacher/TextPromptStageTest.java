package dev.sfd.pipeline.teacher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.teachers.imports.text2image.ConditionRef;
import dev.sfd.core.teachers.imports.text2image.PromptEncoder;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import dev.sfd.core.trajectory.TrajectoryKafkaHeaders;
import dev.sfd.pipeline.TextFixture;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The teacher stage on the real text-to-image fixture: free-text prompts, their conditioning and blocks. */
class TextPromptStageTest {

    private static final PromptEncoder ENCODER = TextFixture.TEACHER.prompts();

    @Test
    void blocksOfAFreeTextPromptCarryItsTextAndTheSharedConditionRef() throws Exception {
        ValidatedPrompt p = TextFixture.prompt("t-1", "a small red circle", 5, 11);
        List<BlockRecord> records = TextFixture.blocks(2, p);
        assertEquals(3, records.size(), "5 rows in blocks of 2");
        String expected = ConditionRef.of(ENCODER.tokens("a small red circle").ids());
        assertTrue(expected.startsWith(ConditionRef.PREFIX) && expected.length() == ConditionRef.PREFIX.length() + 16,
                expected);
        assertNotEquals(expected, ConditionRef.of(ENCODER.tokens("a small blue circle").ids()));
        for (BlockRecord r : records) {
            TrajectoryBlock b = TrajectoryBlockCodec.decode(r.value(), TextFixture.TEACHER.info().sha256());
            assertEquals("a small red circle", b.prompt());
            assertEquals(expected, b.conditionRef());
            assertEquals("shapes-sd", b.teacherId());
            assertArrayEquals(new long[] {4, 8, 8}, b.sampleShape());
            assertTrue(Arrays.stream(b.label()).allMatch(l -> l == Condition.NULL_LABEL), "no class labels");
            assertNull(r.headers().get(TrajectoryKafkaHeaders.PROMPT_TRUNCATED), "not truncated");
            // the block carries points and ids only: [N+1][B][D] floats, never an [L, D] embedding per row
            assertEquals(4 * b.rows() * 256, b.points().length);
        }
    }

    @Test
    void aBatchOfTwoPromptsIsConditionedRowByRowOnThePromptEncodersEmbeddings() {
        ValidatedPrompt red = TextFixture.prompt("t-red", "a red square", 2, 1);
        ValidatedPrompt blue = TextFixture.prompt("t-blue", "the ring is blue", 3, 7);
        Condition c = TextFixture.RUNNER.condition(TextFixture.batch(red, blue));
        assertTrue(c.hasEmbedding());
        FloatTensor e = c.embeddingTensor();
        FloatTensor r = ENCODER.embedding("a red square");
        FloatTensor b = ENCODER.embedding("the ring is blue");
        assertEquals(3, e.rank(), "[B, L, D]");
        assertEquals(5, e.batch());
        assertFalse(Arrays.equals(r.data(), b.data()), "two prompts, two embeddings");
        int per = r.data().length;
        for (int row = 0; row < 5; row++) {
            float[] got = Arrays.copyOfRange(e.data(), row * per, (row + 1) * per);
            assertArrayEquals(row < 2 ? r.data() : b.data(), got, "row " + row);
        }
        int encoded = ENCODER.encodedPrompts();
        TextFixture.RUNNER.condition(TextFixture.batch(blue, red, blue));
        assertEquals(encoded, ENCODER.encodedPrompts(), "the text encoder runs once per distinct prompt");
    }

    @Test
    void aWordTheTokenizerDoesNotKnowIsRefusedNamingIt() {
        PromptException e = assertThrows(PromptException.class,
                () -> TextFixture.prompt("t-bad", "a purple circle", 1, 1));
        assertTrue(e.getMessage().contains("purple") && e.getMessage().contains("t-bad")
                && e.getMessage().contains("rephrase"), e.getMessage());
        assertFalse(e.getMessage().contains("circle,"), "only the unknown word is named: " + e.getMessage());
    }

    @Test
    void aPromptLongerThanTheTokenizerMaxIsTruncatedAndFlaggedOnItsBlocks() {
        String text = "a small red circle on black is one picture of the ring the square";
        assertTrue(ENCODER.tokens(text).truncated(), "the fixture's tokenizer keeps " + ENCODER.maxTokens() + " tokens");
        ValidatedPrompt p = TextFixture.prompt("t-long", text, 2, 3);
        assertTrue(p.truncated());
        assertEquals(ConditionRef.of(ENCODER.tokens(text).ids()), p.conditionRef());
        assertEquals(ENCODER.maxTokens(), ENCODER.tokens(text).ids().length);
        for (BlockRecord r : TextFixture.blocks(4, p)) {
            assertEquals("true", new String(r.headers().get(TrajectoryKafkaHeaders.PROMPT_TRUNCATED),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    void aRecordWithoutPromptIsTheEmptyUnconditionalPrompt() {
        ValidatedPrompt p = TextFixture.VALIDATOR.validate("{\"id\":\"t-u\",\"count\":1}".getBytes(StandardCharsets.UTF_8));
        assertEquals("", p.text());
        assertEquals(ConditionRef.of(ENCODER.tokens("").ids()), p.conditionRef());
        assertFalse(p.truncated());
    }
}
