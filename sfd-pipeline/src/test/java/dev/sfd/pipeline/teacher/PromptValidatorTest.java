package dev.sfd.pipeline.teacher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.prompt.PromptException;
import dev.sfd.core.teachers.ShapesLabels;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptValidatorTest {

    private static final TeacherInfo MIXTURE = new TeacherInfo("mixture2d", "ab12", "mixture2d", new long[] {2},
            0.002, 80, 8, null, 0);
    private static final TeacherInfo SHAPES = new TeacherInfo("shapes", "cd34", "shapes", new long[] {3, 16, 16},
            0.002, 80, ShapesLabels.CLASSES, null, 0);

    private final PromptValidator mixture = new PromptValidator(MIXTURE, List.of(3, 4));
    private final PromptValidator shapes = new PromptValidator(SHAPES, List.of(3));

    @Test
    void acceptsAGoodRecordWithItsLabelSeedsAndStepCounts() {
        ValidatedPrompt p = mixture.validate(bytes("{\"id\":\"p\",\"prompt\":\"a dot in the north-east\",\"count\":5,"
                + "\"seed\":100}"));
        assertEquals(1, p.label(), "north-east is mode 1");
        assertEquals(List.of(3, 4), p.stepCounts());
        assertEquals(102, p.seed(2));
        assertEquals(3, p.stepCount(0));
        assertEquals(4, p.stepCount(1));
        assertEquals(3, p.stepCount(2));

        ValidatedPrompt only4 = mixture.validate(bytes("{\"id\":\"q\",\"prompt\":\"red\",\"count\":1,"
                + "\"stepCounts\":[4],\"teacher\":\"mixture2d\"}"));
        assertEquals(List.of(4), only4.stepCounts());
        assertEquals(0, only4.label());
        assertEquals(PromptSeeds.fromId("q"), only4.firstSeed(), "no seed: derived from the id");

        ValidatedPrompt circle = shapes.validate(bytes("{\"id\":\"s\",\"prompt\":\"A red circle, please\",\"count\":1}"));
        assertEquals(ShapesLabels.of(1, 1), circle.label());
        assertEquals(-1, shapes.validate(bytes("{\"id\":\"u\",\"prompt\":\"a shape\",\"count\":1}")).label(),
                "filler words only = unconditional");
    }

    @Test
    void everyBadRecordClassHasAReasonNamingTheProblem() {
        assertReason(mixture, new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'}, "not valid UTF-8");
        assertReason(mixture, null, "no value");
        assertReason(mixture, bytes("{\"id\":"), "not valid JSON");
        assertReason(mixture, bytes("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1,\"colour\":\"red\"}"),
                "unknown field 'colour'");
        assertReason(mixture, bytes("{\"prompt\":\"red\",\"count\":1}"), "no id");
        assertReason(mixture, bytes("{\"id\":\"a\",\"prompt\":\"\",\"count\":1}"), "empty prompt");
        assertReason(mixture, bytes("{\"id\":\"a\",\"prompt\":\"" + "red ".repeat(60) + "\",\"count\":1}"),
                "the limit is 200");
        assertReason(mixture, bytes("{\"id\":\"a\",\"prompt\":\"a red circle\",\"count\":1}"),
                "does not know: circle");
        assertReason(shapes, bytes("{\"id\":\"a\",\"prompt\":\"a rde circle\",\"count\":1}"), "does not know: rde");
        assertReason(shapes, bytes("{\"id\":\"a\",\"prompt\":\"a red blue circle\",\"count\":1}"), "two colours");
        assertReason(mixture, bytes("{\"id\":\"a\",\"prompt\":\"red\",\"count\":0}"), "count 0");
        assertReason(mixture, bytes("{\"id\":\"a\",\"prompt\":\"red\",\"count\":4097}"), "allowed 1..4096");
        assertReason(mixture, bytes("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1,\"stepCounts\":[5]}"),
                "N = 5, which the trainer does not train (trained: [3, 4])");
        assertReason(mixture, bytes("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1,\"teacher\":\"shapes\"}"),
                "is for teacher 'shapes'");
    }

    @Test
    void externalTeachersTakeClassPrompts() {
        TeacherInfo external = new TeacherInfo("my.onnx", "ff", "external", new long[] {2}, 0.002, 80, 3, null, 0);
        PromptValidator v = new PromptValidator(external, List.of(3));
        assertEquals(2, v.validate(bytes("{\"id\":\"a\",\"prompt\":\"class 2\",\"count\":1}")).label());
        assertReason(v, bytes("{\"id\":\"a\",\"prompt\":\"class 3\",\"count\":1}"), "k in 0..2");
        TeacherInfo uncond = new TeacherInfo("u.onnx", "ff", "external", new long[] {2}, 0.002, 80, 0, null, 0);
        assertEquals(-1, new PromptValidator(uncond, List.of(3))
                .validate(bytes("{\"id\":\"a\",\"prompt\":\"anything\",\"count\":1}")).label());
    }

    /** Issue 27, defect 12: an unconditional imported teacher is told how to ask for what it makes. */
    @Test
    void anUnconditionalImportedTeacherIsToldHowToAskForAnUnconditionalSample() {
        TeacherInfo uncond = new TeacherInfo("u.onnx", "ff", "external", new long[] {2}, 0.002, 80, 0, null, 0);
        PromptValidator v = new PromptValidator(uncond, List.of(3));
        PromptException empty = assertThrows(PromptException.class,
                () -> v.validate(bytes("{\"id\":\"e\",\"prompt\":\"\",\"count\":1}")));
        assertTrue(empty.getMessage().contains("for an unconditional sample")
                && empty.getMessage().contains("leave \"prompt\" out"), empty.getMessage());
        ValidatedPrompt missing = v.validate(bytes("{\"id\":\"m\",\"count\":2,\"seed\":1}"));
        assertEquals(-1, missing.label(), "a record without prompt is an unconditional sample");
        assertEquals(-1, mixture.validate(bytes("{\"id\":\"m\",\"count\":1}")).label(), "built-ins too");
        assertEquals(-1, shapes.validate(bytes("{\"id\":\"m\",\"count\":1}")).label(), "built-ins too");
        TeacherInfo conditional = new TeacherInfo("c.onnx", "ff", "external", new long[] {2}, 0.002, 80, 3, null, 0);
        assertReason(new PromptValidator(conditional, List.of(3)), bytes("{\"id\":\"m\",\"count\":1}"),
                "is conditional (3 classes) and makes no unconditional samples");
    }

    /** Issue 27, defect 8: a JSON array is not an object; the reason says so without naming our classes. */
    @Test
    void aJsonArrayRecordIsToldToBeAnObject() {
        PromptException e = assertThrows(PromptException.class,
                () -> mixture.validate(bytes("[{\"id\":\"a\",\"prompt\":\"north\",\"count\":1}]")));
        assertTrue(e.getMessage().contains("is a JSON array, expected a JSON object"), e.getMessage());
        assertTrue(!e.getMessage().contains("dev.sfd") && !e.getMessage().contains("$Raw"), e.getMessage());
    }

    private static void assertReason(PromptValidator v, byte[] value, String expected) {
        PromptException e = assertThrows(PromptException.class, () -> v.validate(value));
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
