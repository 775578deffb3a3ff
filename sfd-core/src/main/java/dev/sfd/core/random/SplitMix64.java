package dev.sfd.core.random;

/**
 * A small, fully specified random generator so that a seed gives the same numbers in any JVM
 * version or any other language: SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom
 * number generators", OOPSLA 2014) for 64-bit words, 53-bit uniform doubles, and standard normal
 * numbers by the Box–Muller transform (both outputs of each pair are used, cosine first).
 */
public final class SplitMix64 {

    private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private long state;
    private double spareGaussian;
    private boolean hasSpare;

    public SplitMix64(long seed) {
        this.state = seed;
    }

    /**
     * The generator's position: {@code new SplitMix64(state())} continues with the same
     * {@link #nextLong()} words (a pending Box–Muller spare is not part of it).
     */
    public long state() {
        return state;
    }

    /** Next 64-bit word: state += γ; then the MurmurHash3-style finaliser (mix64 variant 13). */
    public long nextLong() {
        long z = (state += GOLDEN_GAMMA);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1): the top 53 bits of {@link #nextLong()} times 2^-53. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Standard normal: Box–Muller, z0 = r·cos(2πu2), z1 = r·sin(2πu2), r = sqrt(−2 ln(1 − u1)). */
    public double nextGaussian() {
        if (hasSpare) {
            hasSpare = false;
            return spareGaussian;
        }
        double u1 = nextDouble();
        double u2 = nextDouble();
        double r = Math.sqrt(-2.0 * Math.log(1.0 - u1));
        double a = 2.0 * Math.PI * u2;
        spareGaussian = r * Math.sin(a);
        hasSpare = true;
        return r * Math.cos(a);
    }

    /** Fills {@code out} with standard normal numbers times {@code scale}. */
    public void fillGaussian(float[] out, int from, int to, double scale) {
        for (int i = from; i < to; i++) {
            out[i] = (float) (scale * nextGaussian());
        }
    }
}
