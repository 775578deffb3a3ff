package dev.sfd.core.distill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Bad SFD configuration fails with a clear message. */
class SfdConfigTest {

    private static SfdConfig.Builder ok() {
        return SfdConfig.builder(ScheduleSpec.polynomial(0.002, 80)).budget(1024).batch(256);
    }

    private static void fails(Executable e, String... words) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        for (String w : words) {
            assertTrue(ex.getMessage().contains(w), "message '" + ex.getMessage() + "' should mention " + w);
        }
    }

    @Test
    void defaultsAreTheReferenceRecipe() {
        SfdConfig c = ok().build();
        assertEquals("dpm++3m", c.solver());
        assertEquals(4, c.k());
        assertTrue(c.afs());
        assertEquals(List.of(3, 4, 5, 6), c.stepCounts());
        assertEquals(2, c.nfe(3));
        assertEquals(List.of(3, 4, 5, 6), ok().nfeCounts(List.of(2, 3, 4, 5)).build().stepCounts());
        assertEquals(List.of(2, 3), ok().afs(false).nfeCounts(List.of(2, 3)).build().stepCounts());
    }

    @Test
    void badValuesAreClearErrors() {
        fails(() -> ok().k(0).build(), "K must be >= 1", "0");
        fails(() -> ok().stepCounts(List.of()).build(), "step counts", "empty");
        fails(() -> ok().solver("rk45").build(), "unknown solver 'rk45'", "dpm++3m");
        fails(() -> ScheduleSpec.polynomial(1.0, 1.0), "t_min must be < t_max");
        fails(() -> ScheduleSpec.polynomial(5, 0.1), "t_min must be < t_max");
        fails(() -> new ScheduleSpec("cosine", 0.002, 80, 7), "unknown schedule 'cosine'");
        fails(() -> ok().stepCounts(1).build(), "N = 1", "AFS");
        fails(() -> ok().batch(0).build(), "batch");
        fails(() -> ok().learningRate(-1).build(), "learning rate");
        fails(() -> ok().budget(10).build(), "budget");
    }
}
