package dev.sfd.core.prompt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PromptRequestTest {

    @Test
    void roundTripsThroughJson() {
        PromptRequest request = new PromptRequest("p-1", "a red circle", 8, 42L);
        assertEquals(request, PromptRequest.fromJson(request.toJson()));
        PromptRequest unseeded = PromptRequest.fromJson("{\"id\":\"p-2\",\"prompt\":\"\",\"count\":1}");
        assertNull(unseeded.seed());
        assertEquals("", unseeded.prompt());
    }

    @Test
    void badRecordsGiveTheReason() {
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":0}", "count 0");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\"}", "not valid JSON");
        assertReason("{\"prompt\":\"red\",\"count\":1}", "no id");
        assertReason("not json", "not valid JSON");
        assertReason("", "empty");
        assertReason("{\"id\":\"a\",\"prompt\":\"red\",\"count\":1,\"extra\":true}", "extra");
    }

    private static void assertReason(String json, String expected) {
        PromptException e = assertThrows(PromptException.class, () -> PromptRequest.fromJson(json));
        assertTrue(e.getMessage().toLowerCase().contains(expected.toLowerCase()), e.getMessage());
    }
}
