package dev.sfd.core.trajectory;

/**
 * IEEE 754 binary16 ("half") conversion, written out because {@code Float.floatToFloat16} needs
 * Java 20. Half has 1 sign bit, 5 exponent bits (bias 15) and 10 mantissa bits: largest finite
 * value 65504, smallest normal 2⁻¹⁴, smallest subnormal 2⁻²⁴, relative rounding error at most
 * 2⁻¹¹ for normal values.
 *
 * <p>{@link #toHalfBits(float)} rounds to nearest, ties to even (as IEEE requires); values of
 * magnitude ≥ 65520 become ±infinity; NaN stays NaN.
 */
public final class Float16 {

    /** Largest finite half value. */
    public static final float MAX_VALUE = 65504f;

    private Float16() {
    }

    /** The half bits nearest to {@code value}. */
    public static short toHalfBits(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xFF;
        int mantissa = bits & 0x7FFFFF;

        if (exponent == 0xFF) { // infinity or NaN (keep NaN quiet and non-zero)
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int halfExponent = exponent - 127 + 15;
        if (halfExponent >= 0x1F) { // too large: infinity
            return (short) (sign | 0x7C00);
        }
        if (halfExponent <= 0) { // half subnormal (or zero): value = m · 2⁻²⁴
            if (halfExponent < -10) {
                return (short) sign; // below half the smallest subnormal: rounds to ±0
            }
            int full = mantissa | 0x800000; // restore the implicit leading 1
            int shift = 14 - halfExponent;  // 14…24
            return (short) (sign | roundShift(full, shift));
        }
        // Normal: drop 13 mantissa bits with rounding; a carry may bump the exponent (even to infinity).
        int half = (halfExponent << 10) | (mantissa >>> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
    }

    /** The float value of half bits {@code half} (exact: every half is a float). */
    public static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) { // zero or subnormal
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        if (exponent == 0x1F) { // infinity or NaN
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }

    /** {@code value} rounded to the nearest half, as a float. */
    public static float round(float value) {
        return toFloat(toHalfBits(value));
    }

    /** {@code value >> shift}, rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int halfway = 1 << (shift - 1);
        if (rest > halfway || (rest == halfway && (kept & 1) == 1)) {
            kept++;
        }
        return kept;
    }
}
