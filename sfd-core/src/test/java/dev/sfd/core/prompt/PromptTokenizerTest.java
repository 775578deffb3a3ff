package dev.sfd.core.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.data.Colour;
import dev.sfd.core.data.Shape;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PromptTokenizerTest {

    @Test
    void parsesPlainPrompts() {
        assertEquals(new PromptCondition(Colour.RED, Shape.CIRCLE), PromptTokenizer.parse("a red circle"));
        assertEquals(new PromptCondition(Colour.BLUE, Shape.SQUARE), PromptTokenizer.parse("Blue Square"));
        assertEquals(new PromptCondition(null, Shape.TRIANGLE), PromptTokenizer.parse("triangle"));
        assertEquals(new PromptCondition(Colour.YELLOW, null), PromptTokenizer.parse("something yellow"));
    }

    @Test
    void emptyAndUnknownOnlyPromptsAreUnconditional() {
        assertTrue(PromptTokenizer.parse("").isUnconditional());
        assertTrue(PromptTokenizer.parse("   \t\n ").isUnconditional());
        assertTrue(PromptTokenizer.parse("a lovely picture, please!").isUnconditional());
        assertEquals(PromptCondition.UNCONDITIONAL, PromptTokenizer.parse("?!..."));
    }

    @Test
    void mixedCasePunctuationSynonymsAndPlurals() {
        assertEquals(new PromptCondition(Colour.GREEN, Shape.RING), PromptTokenizer.parse("  GREEN...dOnUt!!! "));
        assertEquals(new PromptCondition(Colour.RED, Shape.SQUARE), PromptTokenizer.parse("Crimson-box"));
        assertEquals(new PromptCondition(Colour.YELLOW, Shape.CIRCLE), PromptTokenizer.parse("golden discs"));
        assertEquals(new PromptCondition(Colour.BLUE, Shape.TRIANGLE), PromptTokenizer.parse("(blue) triangles."));
        assertEquals(new PromptCondition(Colour.RED, Shape.CIRCLE), PromptTokenizer.parse("red, RED circle; red"));
    }

    @Test
    void twoColoursOrTwoShapesAreRejected() {
        PromptException colours = assertThrows(PromptException.class, () -> PromptTokenizer.parse("a red and blue circle"));
        assertTrue(colours.getMessage().contains("two colours, red and blue"), colours.getMessage());
        PromptException shapes = assertThrows(PromptException.class, () -> PromptTokenizer.parse("square ring"));
        assertTrue(shapes.getMessage().contains("two shapes, square and ring"), shapes.getMessage());
        // Synonyms count as the same colour / shape, different synonyms of different colours do not.
        assertThrows(PromptException.class, () -> PromptTokenizer.parse("navy scarlet dot"));
    }

    @Test
    void tooLongPromptsAreRejectedNamingTheLimit() {
        String exactly = "a".repeat(PromptTokenizer.MAX_CHARS);
        assertTrue(PromptTokenizer.parse(exactly).isUnconditional());
        PromptException chars = assertThrows(PromptException.class,
                () -> PromptTokenizer.parse("red " + "x".repeat(PromptTokenizer.MAX_CHARS)));
        assertTrue(chars.getMessage().contains("limit is 200 characters"), chars.getMessage());

        String thirtyThreeWords = "a ".repeat(PromptTokenizer.MAX_WORDS + 1);
        PromptException words = assertThrows(PromptException.class, () -> PromptTokenizer.parse(thirtyThreeWords));
        assertTrue(words.getMessage().contains("33 words; the limit is 32 words"), words.getMessage());
        // Exactly at the word limit is accepted.
        assertEquals(Shape.RING, PromptTokenizer.parse("a ".repeat(PromptTokenizer.MAX_WORDS - 1) + "ring").shape());
    }

    @Test
    void canonicalTextRoundTripsForAllTwentyFiveConditions() {
        Set<String> texts = new HashSet<>();
        for (int c = 0; c < PromptCondition.CLASSES_PER_ATTRIBUTE; c++) {
            for (int s = 0; s < PromptCondition.CLASSES_PER_ATTRIBUTE; s++) {
                PromptCondition condition = PromptCondition.fromIds(c, s);
                assertEquals(c, condition.colourId());
                assertEquals(s, condition.shapeId());
                String text = condition.canonicalText();
                texts.add(text);
                assertEquals(condition, PromptTokenizer.parse(text), "round trip of \"" + text + "\"");
            }
        }
        assertEquals(25, texts.size());
        assertEquals("a red circle", new PromptCondition(Colour.RED, Shape.CIRCLE).canonicalText());
        assertEquals("", PromptCondition.UNCONDITIONAL.canonicalText());
    }

    @Test
    void embeddingIsTwoOneHots() {
        assertArrayEquals(new float[] {0, 1, 0, 0, 0, 0, 0, 0, 0, 1},
                new PromptCondition(Colour.RED, Shape.RING).embedding());
        assertArrayEquals(new float[] {1, 0, 0, 0, 0, 1, 0, 0, 0, 0}, PromptCondition.UNCONDITIONAL.embedding());
        assertArrayEquals(new int[] {3, 0}, new PromptCondition(Colour.BLUE, null).classIds());
        assertThrows(IllegalArgumentException.class, () -> PromptCondition.fromIds(5, 0));
    }
}
