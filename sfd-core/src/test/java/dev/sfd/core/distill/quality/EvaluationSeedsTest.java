package dev.sfd.core.distill.quality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.metrics.EvaluationSet;
import dev.sfd.core.metrics.ShapesClassifierTrainer;
import dev.sfd.core.metrics.ShapesFid;
import org.junit.jupiter.api.Test;

/** The development / held-out split: fixed bases, ranges that never overlap, reports that name their set. */
class EvaluationSeedsTest {

    @Test
    void developmentIsTheSeedsOfTheRecipeSearchAndHeldOutIsFarAway() {
        assertEquals(1_000_000L, EvaluationSeeds.development(1000).base(), "the recipe search's seeds");
        assertArrayEquals(new long[] {1_000_000L, 1_000_001L, 1_000_002L}, EvaluationSeeds.development(3).seeds());
        assertEquals(500_000_000L, EvaluationSeeds.heldOut(1000).base());
    }

    @Test
    void theSetsNeverOverlapUpToTheMaximumSampleCount() {
        int max = EvaluationSeeds.MAX_SAMPLES;
        EvaluationSeeds dev = EvaluationSeeds.development(max);
        EvaluationSeeds held = EvaluationSeeds.heldOut(max);
        assertFalse(dev.overlaps(held));
        assertFalse(held.overlaps(dev));
        for (int n : new int[] {1, 1000, 4000, 1_000_000, max}) {
            assertFalse(EvaluationSeeds.development(n).overlaps(EvaluationSeeds.heldOut(n)), "n = " + n);
        }
        // and below the project's other fixed seed ranges
        for (long other : new long[] {EvaluationSet.FIRST_SEED, ShapesClassifierTrainer.HELD_OUT_FIRST_SEED,
            ShapesFid.REFERENCE_FIRST_SEED}) {
            assertTrue(held.last() < other, "held-out range ends before " + other);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationSeeds.heldOut(max + 1));
        assertTrue(e.getMessage().contains(Integer.toString(max + 1)) && e.getMessage().contains("1 … " + max),
                e.getMessage());
    }

    @Test
    void blocksAreDisjointAndStayInsideTheirSet() {
        EvaluationSeeds set = EvaluationSeeds.development(1);
        EvaluationSeeds b0 = set.block(0, 8000, 4000);
        EvaluationSeeds b1 = set.block(1, 8000, 8000);
        EvaluationSeeds b2 = set.block(2, 8000, 1000);
        assertFalse(b0.overlaps(b1));
        assertFalse(b1.overlaps(b2));
        assertEquals(1_008_000L, b1.base());
        assertEquals(EvaluationSeeds.Kind.DEVELOPMENT, b2.kind());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> set.block(EvaluationSeeds.MAX_SAMPLES / 8000, 8000, 8000));
        assertTrue(e.getMessage().contains("leave the development range"), e.getMessage());
    }

    @Test
    void everyDescriptionNamesItsSetAndAnOverrideSaysItIsNeither() {
        assertEquals("held-out set, 1000 seeds 500000000…500000999", EvaluationSeeds.heldOut(1000).describe());
        assertTrue(EvaluationSeeds.development(10).describe().startsWith("development set"));
        String o = EvaluationSeeds.override(500_000, 1000).describe();
        assertTrue(o.contains("neither the development nor the held-out set") && o.contains("overlaps neither"), o);
        String dev = EvaluationSeeds.override(1_000_500, 1000).describe();
        assertTrue(dev.contains("overlaps the development range"), dev);
        assertEquals("override@500000", EvaluationSeeds.override(500_000, 1000).tag());
    }

    @Test
    void labelsAreBalancedAndParsingNamesTheSets() {
        assertArrayEquals(new int[] {0, 1, 2, 0, 1}, EvaluationSeeds.heldOut(5).labels(3));
        assertEquals(null, EvaluationSeeds.heldOut(5).labels(0));
        assertEquals(EvaluationSeeds.Kind.HELD_OUT, EvaluationSeeds.Kind.parse("Held-Out"));
        assertEquals(EvaluationSeeds.Kind.DEVELOPMENT, EvaluationSeeds.Kind.parse("development"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluationSeeds.Kind.parse("test"));
        assertTrue(e.getMessage().contains("'test'") && e.getMessage().contains("held-out")
                && e.getMessage().contains("--seed-base"), e.getMessage());
    }
}
