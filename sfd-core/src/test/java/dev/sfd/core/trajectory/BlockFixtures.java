package dev.sfd.core.trajectory;

import java.util.Random;

/** Trajectory blocks for the codec tests. */
final class BlockFixtures {

    static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private BlockFixtures() {
    }

    /** The golden block: B = 2, N = 1, one sample of shape [2]. */
    static TrajectoryBlock golden() {
        return new TrajectoryBlock("t", SHA, "euler", 2, "edm", new double[] {2.0, 0.5}, "p", "", "",
                new long[] {2}, new int[] {0, 1}, new long[] {7, 8}, new int[] {-1, 3},
                new float[] {1f, -1f, 0.5f, 2f, 0.25f, -0.5f, 0f, 1.5f});
    }

    /** A random valid block from {@code random} (its seed is recorded by the caller). */
    static TrajectoryBlock random(Random random) {
        int n = 1 + random.nextInt(5);
        int b = 1 + random.nextInt(40);
        int rank = 1 + random.nextInt(3);
        long[] shape = new long[rank];
        int d = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = 1 + random.nextInt(4);
            d *= (int) shape[i];
        }
        double[] t = new double[n + 1];
        double at = 80 * random.nextDouble() + 1;
        for (int i = 0; i <= n; i++) {
            t[i] = at;
            at *= random.nextDouble() * 0.9;
        }
        int[] index = new int[b];
        long[] seed = new long[b];
        int[] label = new int[b];
        int first = random.nextInt(1000);
        for (int r = 0; r < b; r++) {
            index[r] = first + r * (1 + random.nextInt(2));
            seed[r] = random.nextLong();
            label[r] = random.nextInt(7) - 1;
        }
        float[] points = new float[(n + 1) * b * d];
        for (int i = 0; i < points.length; i++) {
            points[i] = (float) (random.nextGaussian() * 10);
        }
        StringBuilder sha = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            sha.append("0123456789abcdef".charAt(random.nextInt(16)));
        }
        return new TrajectoryBlock("teacher-" + random.nextInt(9), sha.toString(), random.nextBoolean() ? "dpm++2m"
                : "heun", 1 + random.nextInt(8), "edm", t, "prompt-" + random.nextInt(1 << 20),
                random.nextBoolean() ? "" : "a red circle \u00e9", random.nextBoolean() ? "" : "emb:clip/" + random.nextInt(),
                shape, index, seed, label, points);
    }
}
