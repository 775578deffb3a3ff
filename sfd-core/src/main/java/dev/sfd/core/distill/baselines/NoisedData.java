package dev.sfd.core.distill.baselines;

import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.teachers.TeacherData;
import dev.sfd.core.tensor.FloatTensor;

/**
 * The data side of the baselines (SFD.md Algorithm 1): x₀ and its label from the teacher's data
 * set (the built-in data sets are procedural), and x_{n+1} = x₀ + t_{n+1}·ε with ε from per-sample
 * seeds. Every draw comes from the run seed and the Adam step index, so a run is reproducible.
 */
public final class NoisedData {

    /** One batch: clean x₀, the noised x_{n+1}, and the labels (null for an unconditional teacher). */
    public record Batch(FloatTensor x0, FloatTensor noised, int[] labels) {
    }

    private final TeacherData data;
    private final long seed;

    public NoisedData(TeacherData data, long seed) {
        this.data = data;
        this.seed = seed;
    }

    /** Batch {@code step} of {@code b} samples noised to level {@code t}. */
    public Batch draw(long step, int b, double t, boolean conditional) {
        SplitMix64 rng = new SplitMix64(seed * 0x9E3779B97F4A7C15L ^ (step * 0xD1B54A32D192ED03L + 0x5851F42D4C957F2DL));
        TeacherData.Batch clean = data.draw(b, rng, 0.0);
        long[] seeds = new long[b];
        for (int i = 0; i < b; i++) {
            seeds[i] = rng.nextLong();
        }
        return new Batch(clean.x0(), noised(clean.x0(), SeededNoise.gaussian(seeds, sampleShape(clean.x0()), 1.0), t),
                conditional ? toInts(clean.labels()) : null);
    }

    /** x₀ + t·ε. */
    public static FloatTensor noised(FloatTensor x0, FloatTensor eps, double t) {
        float[] out = new float[x0.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (x0.data()[i] + t * eps.data()[i]);
        }
        return new FloatTensor(x0.shape().clone(), out);
    }

    private static long[] sampleShape(FloatTensor x) {
        return java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length);
    }

    private static int[] toInts(long[] l) {
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = (int) l[i];
        }
        return out;
    }
}
