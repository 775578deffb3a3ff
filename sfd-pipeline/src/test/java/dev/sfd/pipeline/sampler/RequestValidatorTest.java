package dev.sfd.pipeline.sampler;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.pipeline.sampler.GenerateInput.OutputKind;
import org.junit.jupiter.api.Test;

/** Request checks: every refusal is INVALID_ARGUMENT and names its field. */
class RequestValidatorTest {

    private static final StudentMetadata MIXTURE = StudentMetadata.of(OnnxModel.parse("m", Checkpoints.mixtureStudent()));
    private static final StudentMetadata SHAPES = StudentMetadata.of(OnnxModel.parse("s", Checkpoints.shapesStudent()));
    private final RequestValidator validator = new RequestValidator(new SamplerLimits(16, 8, 0, 10), () -> 1000L);

    private static GenerateInput input(String prompt, Integer label, Integer steps, Integer nfe, Double guidance,
                                       long[] seeds, Long seed, int count, OutputKind output) {
        return new GenerateInput(prompt, label, steps, nfe, guidance, seeds, seed, count, output);
    }

    private void refused(String field, StudentMetadata meta, GenerateInput in) {
        SamplerException e = assertThrows(SamplerException.class, () -> validator.validate(in, meta));
        assertEquals(SamplerException.Kind.INVALID_ARGUMENT, e.kind());
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    }

    @Test
    void defaultsAndSeeds() {
        SampleRequest r = validator.validate(input(null, null, null, null, null, null, null, 3, OutputKind.DEFAULT), MIXTURE);
        assertEquals(-1, r.label());
        assertEquals(3, r.steps(), "the smallest trained N");
        assertEquals(1.0, r.omega());
        assertArrayEquals(new long[] {1000, 1001, 1002}, r.seeds(), "drawn first seed, then consecutive");
        assertFalse(r.png(), "2-D samples: a tensor");
        SampleRequest s = validator.validate(input("a red circle", null, null, 2, 2.0, new long[] {5, 9}, null, 0,
                OutputKind.DEFAULT), SHAPES);
        assertTrue(s.png(), "images: PNG by default");
        assertEquals(3, s.steps(), "NFE 2 = N 3 with AFS");
        assertArrayEquals(new long[] {5, 9}, s.seeds());
        assertTrue(s.label() >= 0);
    }

    @Test
    void countZeroMeansOneAndSeedsReachTheUint64MaximumWithoutWrapping() {
        assertArrayEquals(new long[] {7}, validator.validate(input(null, null, null, null, null, null, 7L, 0,
                null), MIXTURE).seeds(), "count 0 (unset in proto3) is the documented default, 1");
        assertArrayEquals(new long[] {-2L, -1L}, validator.validate(input(null, null, null, null, null, null, -2L, 2,
                null), MIXTURE).seeds(), "2^64-2 and 2^64-1 (uint64 on the wire)");
    }

    @Test
    void everyBadFieldIsNamed() {
        refused("steps", MIXTURE, input(null, null, 0, null, null, null, 1L, 1, null));
        refused("steps", MIXTURE, input(null, null, 1, null, null, null, 1L, 1, null));
        refused("steps", MIXTURE, input(null, null, 17, null, null, null, 1L, 1, null));
        refused("nfe", MIXTURE, input(null, null, null, 0, null, null, 1L, 1, null));
        refused("guidance", MIXTURE, input(null, null, null, null, Double.NaN, null, 1L, 1, null));
        refused("guidance", MIXTURE, input(null, null, null, null, Double.POSITIVE_INFINITY, null, 1L, 1, null));
        refused("guidance", MIXTURE, input(null, null, null, null, 11.0, null, 1L, 1, null));
        refused("count", MIXTURE, input(null, null, null, null, null, null, 1L, -1, null));
        refused("seed", MIXTURE, input(null, null, null, null, null, null, -1L, 2, null)); // 2^64-1, 2^64 wraps
        refused("prompt", SHAPES, input("red circle " + "x".repeat(200), null, null, null, null, null, 1L, 1, null));
        refused("count", MIXTURE, input(null, null, null, null, null, null, 1L, 9, null));
        refused("count", MIXTURE, input(null, null, null, null, null, new long[] {1, 2}, null, 3, null));
        refused("seeds", MIXTURE, input(null, null, null, null, null, new long[9], null, 0, null));
        refused("prompt", MIXTURE, input("", null, null, null, null, null, 1L, 1, null));
        refused("prompt", SHAPES, input("banana smoothie", null, null, null, null, null, 1L, 1, null));
        refused("prompt", SHAPES, input("a red green circle", null, null, null, null, null, 1L, 1, null));
        refused("label", SHAPES, input(null, 10_000, null, null, null, null, 1L, 1, null));
        refused("output", MIXTURE, input(null, null, null, null, null, null, 1L, 1, OutputKind.PNG));
    }
}
