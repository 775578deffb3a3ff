package dev.sfd.core.distill.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** Mean ± sample sd over students, on the issue's own figures. */
class SpreadTest {

    @Test
    void meanAndSampleSdOfKnownValues() {
        Spread s = Spread.of(2, 4, 4, 4, 5, 5, 7, 9);
        assertEquals(5, s.mean(), 1e-12);
        assertEquals(Math.sqrt(32.0 / 7), s.sd(), 1e-12); // divisor n − 1
        assertEquals(8, s.n());
    }

    @Test
    void reproducesTheIssuesRatioOverThreeTrainingSeeds() {
        // issue 25: NFE-2 student FD ÷ teacher FD (19.2) on the second set, training seeds default, 7, 13
        Spread s = Spread.of(0.97, 1.30, 1.08);
        assertEquals("1.12 ± 0.17", s.format(v -> String.format(Locale.ROOT, "%.2f", v)));
        Spread fd = Spread.of(18.7, 25.0, 20.8);
        assertEquals(21.5, fd.mean(), 1e-9);
        assertEquals(3.2078, fd.sd(), 1e-4);
    }

    @Test
    void oneValueHasNoSdAndNoValuesIsAnError() {
        Spread one = Spread.of(17.2);
        assertTrue(Double.isNaN(one.sd()));
        assertEquals("17.2", one.format(String::valueOf));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Spread::of);
        assertTrue(e.getMessage().contains("at least one student"), e.getMessage());
    }
}
