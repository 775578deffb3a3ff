package dev.sfd.core.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The recipe knobs of {@link SfdConfig}: learning-rate schedules by their formulas, and bad values named. */
class RecipeConfigTest {

    private static SfdConfig.Builder b() {
        return SfdConfig.builder(ScheduleSpec.polynomial(0.002, 80)).budget(1000).batch(10).learningRate(1e-3);
    }

    @Test
    void learningRateSchedules() {
        SfdConfig step = b().build();
        assertEquals(1e-3, step.learningRateAt(0));
        assertEquals(1e-3, step.learningRateAt(499));
        assertEquals(1e-4, step.learningRateAt(500), 1e-15);
        SfdConfig cos = b().lrSchedule("cosine").build();
        assertEquals(1e-3, cos.learningRateAt(0), 1e-15);
        assertEquals(0.5e-3, cos.learningRateAt(500), 1e-12);
        assertEquals(1e-3 * 0.5 * (1 + Math.cos(Math.PI * 0.25)), cos.learningRateAt(250), 1e-12);
        assertEquals(1e-5, cos.learningRateAt(1000), 1e-15); // floored at lr/100
        assertEquals(1e-3, b().lrSchedule("constant").build().learningRateAt(999));
        assertEquals(2000, b().build().withBudget(2000).budget());
        assertEquals("cosine", b().lrSchedule("cosine").build().withBudget(2000).lrSchedule());
    }

    @Test
    void badValuesAreNamed() {
        IllegalArgumentException loss = assertThrows(IllegalArgumentException.class, () -> b().loss("l3").build());
        assertTrue(loss.getMessage().contains("l3") && loss.getMessage().contains("pseudo-huber"), loss.getMessage());
        IllegalArgumentException lr = assertThrows(IllegalArgumentException.class, () -> b().lrSchedule("warm").build());
        assertTrue(lr.getMessage().contains("warm") && lr.getMessage().contains("cosine"), lr.getMessage());
        IllegalArgumentException ema = assertThrows(IllegalArgumentException.class, () -> b().emaHalfLife(-1).build());
        assertTrue(ema.getMessage().contains("-1"), ema.getMessage());
        assertThrows(IllegalArgumentException.class, () -> b().loss("pseudo-huber").huberC(0).build());
        assertEquals("pseudo-huber", b().loss(" Pseudo-Huber ").build().loss());
    }
}
