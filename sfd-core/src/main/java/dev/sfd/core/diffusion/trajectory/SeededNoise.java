package dev.sfd.core.diffusion.trajectory;

import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * Initial noise {@code x_N ~ N(0, t_N² I)} drawn per sample from that sample's own seed (like
 * EDM's StackedRandomGenerator): sample i is {@code t_N·z} with z from {@link SplitMix64}(seed_i)
 * in row-major order, so it depends on its seed only, never on the batch it is drawn in, and is
 * reproducible in any language that implements SplitMix64 and Box–Muller.
 */
public final class SeededNoise {

    private SeededNoise() {
    }

    /**
     * @param seeds       one seed per sample
     * @param sampleShape shape of one sample (without the batch dimension)
     * @param scale       standard deviation (t_N)
     * @return a [seeds.length, sampleShape…] tensor
     */
    public static FloatTensor gaussian(long[] seeds, long[] sampleShape, double scale) {
        if (seeds == null || seeds.length == 0) {
            throw new IllegalArgumentException("need at least one seed");
        }
        if (!(scale >= 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("noise scale must be finite and >= 0, got " + scale);
        }
        long per = 1;
        for (long d : sampleShape) {
            if (d < 1) {
                throw new IllegalArgumentException("sample shape " + Arrays.toString(sampleShape) + " has a dimension < 1");
            }
            per *= d;
        }
        int d = Math.toIntExact(per);
        float[] data = new float[Math.multiplyExact(d, seeds.length)];
        for (int i = 0; i < seeds.length; i++) {
            new SplitMix64(seeds[i]).fillGaussian(data, i * d, (i + 1) * d, scale);
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = seeds.length;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return new FloatTensor(shape, data);
    }
}
