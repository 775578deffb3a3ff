package dev.sfd.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.prompt.PromptException;
import dev.sfd.pipeline.teacher.PromptValidator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The prompt-record classes of the bad-input table that PromptValidatorTest does not cover: a 1 MB
 * value, a JSON nesting bomb, wrong JSON types, a huge count, and invalid UTF-8 in the middle of a
 * string. Each is refused with a PromptException (the teacher dead-letters it with that message as
 * the reason), quickly, without a StackOverflowError, and a good record right after is still accepted.
 */
@Tag("faults")
class BadPromptRecordsTest {

    private static final TeacherInfo MIXTURE = new TeacherInfo("mixture2d", "ab12", "mixture2d", new long[] {2},
            0.002, 80, 8, null, 0);
    private final PromptValidator validator = new PromptValidator(MIXTURE, List.of(3));

    @Test
    void oneMegabyteValueIsRefused() {
        String big = "{\"id\":\"big\",\"prompt\":\"north " + "x".repeat(1 << 20) + "\",\"count\":1}";
        refused(big.getBytes(StandardCharsets.UTF_8), "prompt");
        stillAcceptsAGoodRecord();
    }

    @Test
    void jsonNestingBombIsRefusedWithoutAStackOverflow() {
        int depth = 100_000;
        String bomb = "{\"id\":\"bomb\",\"prompt\":\"north\",\"count\":1,\"stepCounts\":" + "[".repeat(depth)
                + "]".repeat(depth) + "}";
        refused(bomb.getBytes(StandardCharsets.UTF_8), null);
        String objects = "{\"id\":\"bomb2\",\"x\":" + "{\"a\":".repeat(depth) + "1" + "}".repeat(depth) + "}";
        refused(objects.getBytes(StandardCharsets.UTF_8), null);
        stillAcceptsAGoodRecord();
    }

    @Test
    void wrongTypesAreRefusedNamingTheField() {
        refused(bytes("{\"id\":\"t1\",\"prompt\":\"north\",\"count\":\"many\"}"), "count");
        refused(bytes("{\"id\":\"t2\",\"prompt\":[\"north\"],\"count\":1}"), "prompt");
        refused(bytes("{\"id\":7,\"prompt\":\"north\",\"count\":1}"), null);
        refused(bytes("{\"id\":\"t4\",\"prompt\":\"north\",\"count\":1.5}"), "count");
        refused(bytes("{\"id\":\"t5\",\"prompt\":\"north\",\"count\":1,\"seed\":\"x\"}"), "seed");
        refused(bytes("[1,2,3]"), null);
        refused(bytes("\"just a string\""), null);
        refused(bytes("null"), null);
        stillAcceptsAGoodRecord();
    }

    @Test
    void hugeCountsAreRefused() {
        refused(bytes("{\"id\":\"h1\",\"prompt\":\"north\",\"count\":99999999999999999999}"), "count");
        refused(bytes("{\"id\":\"h2\",\"prompt\":\"north\",\"count\":2147483647}"), "count");
        refused(bytes("{\"id\":\"h3\",\"prompt\":\"north\",\"count\":-1}"), "count");
        stillAcceptsAGoodRecord();
    }

    @Test
    void invalidUtf8InsideAStringIsRefused() {
        byte[] good = bytes("{\"id\":\"u1\",\"prompt\":\"north\",\"count\":1}");
        byte[] bad = good.clone();
        bad[good.length - 15] = (byte) 0xFF; // inside "north"
        refused(bad, "UTF-8");
        stillAcceptsAGoodRecord();
    }

    private void stillAcceptsAGoodRecord() {
        assertEquals(2, validator.validate(bytes("{\"id\":\"ok\",\"prompt\":\"north\",\"count\":2}")).request()
                .count());
    }

    private void refused(byte[] value, String mentions) {
        PromptException e = assertThrows(PromptException.class, () -> validator.validate(value));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "a reason");
        assertTrue(e.getMessage().length() < 2000, "the reason stays short (no echo of a 1 MB value): "
                + e.getMessage().length() + " chars");
        if (mentions != null) {
            assertTrue(e.getMessage().contains(mentions), "reason names '" + mentions + "': " + e.getMessage());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
