package dev.sfd.core.trajectory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class Float16Test {

    @Test
    void everyHalfValueRoundTripsExactly() {
        for (int bits = 0; bits <= 0xFFFF; bits++) {
            float f = Float16.toFloat((short) bits);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(Float16.round(f)));
                continue;
            }
            assertEquals(bits, Float16.toHalfBits(f) & 0xFFFF, "half bits " + Integer.toHexString(bits) + " = " + f);
        }
    }

    @Test
    void knownValues() {
        assertEquals(0x3C00, Float16.toHalfBits(1f) & 0xFFFF);
        assertEquals(0xC000, Float16.toHalfBits(-2f) & 0xFFFF);
        assertEquals(0x7BFF, Float16.toHalfBits(65504f) & 0xFFFF);
        assertEquals(0x7C00, Float16.toHalfBits(65520f) & 0xFFFF, "65520 rounds up to infinity");
        assertEquals(0x7BFF, Float16.toHalfBits(65519f) & 0xFFFF);
        assertEquals(0x0001, Float16.toHalfBits(0x1p-24f) & 0xFFFF, "smallest subnormal");
        assertEquals(0x0000, Float16.toHalfBits(0x1p-25f) & 0xFFFF, "tie between 0 and 2^-24 goes to even 0");
        assertEquals(0x0001, Float16.toHalfBits(0x1.000002p-25f) & 0xFFFF);
        assertEquals(0x0400, Float16.toHalfBits(0x1p-14f) & 0xFFFF, "smallest normal");
        assertEquals(0x8000, Float16.toHalfBits(-0f) & 0xFFFF);
        assertEquals(0x3C00, Float16.toHalfBits(1f + 0x1p-11f) & 0xFFFF, "tie rounds to even (down)");
        assertEquals(0x3C02, Float16.toHalfBits(1f + 3 * 0x1p-11f) & 0xFFFF, "tie rounds to even (up)");
        assertTrue(Float.isNaN(Float16.round(Float.NaN)));
        assertEquals(Float.NEGATIVE_INFINITY, Float16.round(Float.NEGATIVE_INFINITY));
        assertEquals(0.333251953125f, Float16.round(1f / 3));
    }

    @Test
    void roundingErrorWithinBoundsAndNearest() {
        Random random = new Random(7);
        for (int k = 0; k < 200_000; k++) {
            // Log-uniform magnitudes over the whole half range, both signs.
            float f = (float) (Math.pow(2, -26 + random.nextDouble() * 42) * (random.nextBoolean() ? 1 : -1));
            if (Math.abs(f) >= 65504f) {
                continue;
            }
            short h = Float16.toHalfBits(f);
            float back = Float16.toFloat(h);
            double err = Math.abs((double) back - f);
            if (Math.abs(f) >= 0x1p-14f) {
                assertTrue(err <= Math.abs(f) * 0x1p-11, "relative error for " + f + " -> " + back);
            } else {
                assertTrue(err <= 0x1p-25, "absolute error for subnormal " + f + " -> " + back);
            }
            // Nearest: neither neighbour is closer.
            for (int step : new int[] {-1, 1}) {
                float neighbour = Float16.toFloat((short) (h + step));
                if (Float.isFinite(neighbour) && Math.signum(neighbour) == Math.signum(back)) {
                    assertTrue(Math.abs((double) neighbour - f) >= err, f + ": " + back + " vs neighbour " + neighbour);
                }
            }
        }
    }
}
