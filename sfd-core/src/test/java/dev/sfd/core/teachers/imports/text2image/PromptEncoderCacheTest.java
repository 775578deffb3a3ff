package dev.sfd.core.teachers.imports.text2image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import org.junit.jupiter.api.Test;

/** The prompt cache is bounded and least recently used goes first; an evicted prompt encodes to the same embedding. */
class PromptEncoderCacheTest {

    @Test
    void keepsAtMostTheCacheSizeAndDropsTheLeastRecentlyUsed() {
        TextToImageFolder folder = TextToImageFolder.read(PipelineFixtures.fixture("shapes-sd"));
        try (PromptEncoder p = PromptEncoder.open(folder, SessionConfig.cpu(1), 2)) {
            assertEquals(2, p.cacheSize());
            FloatTensor red = p.embedding("a red circle");
            FloatTensor blue = p.embedding("a blue square");
            assertSame(red, p.embedding("a red circle"), "a cached prompt is not encoded again (and is now most recent)");
            p.embedding("a green ring"); // evicts "a blue square", the least recently used
            assertEquals(2, p.encodedPrompts());
            assertSame(red, p.embedding("a red circle"), "the recently used one stayed");
            FloatTensor again = p.embedding("a blue square");
            assertTrue(again != blue, "the evicted prompt was encoded again");
            assertArrayEquals(blue.data(), again.data(), "to the same embedding");
            assertEquals(2, p.encodedPrompts());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PromptEncoder.open(folder, SessionConfig.cpu(1), 0));
        assertTrue(e.getMessage().contains("cache size") && e.getMessage().contains("0"), e.getMessage());
    }
}
