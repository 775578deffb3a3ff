package dev.sfd.core.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptRequestTest {

    @Test
    void roundTripsThroughJson() {
        PromptRequest request = new PromptRequest("p-1", "a red circle", 8, 42L);
        assertEquals(request, PromptRequest.fromJson(request.toJson()));
        assertEquals("{\"id\":\"p-1\",\"prompt\":\"a red circle\",\"count\":8,\"seed\":42}", request.toJson());
        PromptRequest full = new PromptRequest("p-3", "north", 2, null, List.of(4, 3, 4), "mixture2d");
        assertEquals(List.of(3, 4), full.stepCounts(), "step counts are sorted and unique");
        assertEquals(full, PromptRequest.fromJson(full.toJson()));
        PromptRequest unseeded = PromptRequest.fromJson("{\"id\":\"p-2\",\"prompt\":\"a shape\",\"count\":1}");
        assertNull(unseeded.seed());
        assertNull(unseeded.stepCounts());
        assertNull(unseeded.teacher());
        assertEquals(PromptRequest.UNCONDITIONAL, PromptRequest.fromJson("{\"id\":\"u\",\"count\":1}").prompt(),
                "a record without prompt asks for an unconditional sample");
    }

    @Test
    void badRecordsGiveTheReason() {
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":0}", "count 0");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":4097}", "count 4097");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\"}", "has no count");
        assertReason("{\"prompt\":\"red\",\"count\":1}", "no id");
        assertReason("[{\"id\":\"a\",\"prompt\":\"red\",\"count\":1}]", "is a JSON array, expected a JSON object");
        assertReason("\"north\"", "is a JSON string, expected a JSON object");
        assertReason("7", "is a JSON number, expected a JSON object");
        assertReason("{\"id\":\"a\",\"prompt\":\"  \",\"count\":1}", "empty prompt");
        assertReason("{\"id\":\"a\",\"prompt\":\"" + "x".repeat(201) + "\",\"count\":1}", "201 characters");
        assertReason("not json", "not valid JSON");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1} trailing", "not valid JSON");
        assertReason("", "empty");
        assertReason("null", "JSON null");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1,\"extra\":true}", "unknown field 'extra'");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1,\"stepCounts\":[]}", "empty stepCounts");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1,\"stepCounts\":[0]}", "step count 0");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1,\"teacher\":\"\"}", "blank teacher");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":2,\"seed\":" + Long.MAX_VALUE + "}", "overflow");
    }

    private static void assertReason(String json, String expected) {
        PromptException e = assertThrows(PromptException.class, () -> PromptRequest.fromJson(json));
        assertTrue(e.getMessage().toLowerCase().contains(expected.toLowerCase()), e.getMessage());
    }
}
