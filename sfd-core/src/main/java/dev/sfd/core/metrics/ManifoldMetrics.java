package dev.sfd.core.metrics;

import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Precision, recall, density and coverage of generated samples against real ones, from
 * k-nearest-neighbour manifolds in a feature space (Euclidean distance):
 * <ul>
 *   <li>the manifold of a set is the union of balls around its points, each ball's radius being the
 *       distance from the point to its k-th nearest other point of the same set;</li>
 *   <li>precision: fraction of generated points inside the real manifold; recall: fraction of
 *       real points inside the generated manifold (Kynkäänniemi et al. 2019);</li>
 *   <li>density: (1 / kM)·Σ_j #{real balls containing generated point j}, M generated points
 *       (about 1 when the two sets come from one distribution; can exceed 1);
 *       coverage: fraction of real points whose ball holds at least one generated point
 *       (Naeem et al. 2020).</li>
 * </ul>
 * A point on a ball's boundary counts as inside (distance ≤ radius). Both sets need more than k
 * points. Distances are computed in double precision; the work is O(n·m·d), spread over the cores.
 */
public final class ManifoldMetrics {

    /** The neighbourhood size of the reference code (and of this project's tables). */
    public static final int DEFAULT_K = 5;

    private ManifoldMetrics() {
    }

    /** The four values, each in [0, 1] except density (≥ 0). */
    public record Result(double precision, double recall, double density, double coverage) {
    }

    /** Precision/recall/density/coverage of {@code fake} against {@code real} with k-NN balls. */
    public static Result of(FloatTensor real, FloatTensor fake, int k) {
        return new Reference(real, k).measure(fake);
    }

    /**
     * A real set with its k-NN balls computed once (they depend on the real set only), to measure
     * many generated sets against.
     */
    public static final class Reference {
        private final FloatTensor real;
        private final int k;
        private final double[] squaredRadii;

        public Reference(FloatTensor real, int k) {
            this.real = real;
            this.k = k;
            this.squaredRadii = kthNeighbourSquared(real, k, "real");
        }

        public int size() {
            return real.batch();
        }

        public int k() {
            return k;
        }

        /** The four values of {@code fake} against this reference. */
        public Result measure(FloatTensor fake) {
            return compute(real, squaredRadii, fake, k);
        }
    }

    private static Result compute(FloatTensor real, double[] realRadii, FloatTensor fake, int k) {
        if (real.sampleSize() != fake.sampleSize()) {
            throw new IllegalArgumentException("manifold metrics: real and generated features differ in width: "
                    + real.shapeString() + " vs " + fake.shapeString());
        }
        double[] fakeRadii = kthNeighbourSquared(fake, k, "generated");
        int n = real.batch();
        int m = fake.batch();
        int d = real.sampleSize();
        float[] r = real.data();
        float[] f = fake.data();
        // per generated point: how many real balls contain it; whether it is in any
        int[] containing = new int[m];
        IntStream.range(0, m).parallel().forEach(j -> {
            int c = 0;
            for (int i = 0; i < n; i++) {
                if (squared(f, j, r, i, d) <= realRadii[i]) {
                    c++;
                }
            }
            containing[j] = c;
        });
        // per real point: is it inside the generated manifold (recall); is its nearest generated point in its ball (coverage)
        boolean[] recalled = new boolean[n];
        boolean[] covered = new boolean[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double nearest = Double.POSITIVE_INFINITY;
            boolean in = false;
            for (int j = 0; j < m; j++) {
                double s = squared(r, i, f, j, d);
                nearest = Math.min(nearest, s);
                if (!in && s <= fakeRadii[j]) {
                    in = true;
                }
            }
            recalled[i] = in;
            covered[i] = nearest <= realRadii[i];
        });
        long precise = Arrays.stream(containing).filter(c -> c > 0).count();
        long balls = Arrays.stream(containing).asLongStream().sum();
        return new Result((double) precise / m, (double) count(recalled) / n, (double) balls / ((double) k * m),
                (double) count(covered) / n);
    }

    /** For each point, the distance to its k-th nearest OTHER point of the same set. */
    public static double[] kthNeighbourRadii(FloatTensor x, int k) {
        double[] s = kthNeighbourSquared(x, k, "point");
        for (int i = 0; i < s.length; i++) {
            s[i] = Math.sqrt(s[i]);
        }
        return s;
    }

    private static double[] kthNeighbourSquared(FloatTensor x, int k, String what) {
        int n = x.batch();
        if (k < 1) {
            throw new IllegalArgumentException("manifold metrics: k must be >= 1, got " + k);
        }
        if (n <= k) {
            throw new IllegalArgumentException("manifold metrics: the " + what + " set has " + n
                    + " points; k = " + k + " nearest neighbours need at least " + (k + 1));
        }
        int d = x.sampleSize();
        float[] v = x.data();
        double[] radii = new double[n];
        IntStream.range(0, n).parallel().forEach(i -> {
            double[] best = new double[k]; // k smallest squared distances, ascending
            Arrays.fill(best, Double.POSITIVE_INFINITY);
            for (int j = 0; j < n; j++) {
                if (j == i) {
                    continue;
                }
                double s = squared(v, i, v, j, d);
                if (s < best[k - 1]) {
                    int p = k - 1;
                    while (p > 0 && best[p - 1] > s) {
                        best[p] = best[p - 1];
                        p--;
                    }
                    best[p] = s;
                }
            }
            radii[i] = best[k - 1];
        });
        return radii;
    }

    private static double squared(float[] a, int i, float[] b, int j, int d) {
        double s = 0;
        int ai = i * d;
        int bj = j * d;
        for (int q = 0; q < d; q++) {
            double e = (double) a[ai + q] - b[bj + q];
            s += e * e;
        }
        return s;
    }

    private static long count(boolean[] b) {
        long c = 0;
        for (boolean v : b) {
            if (v) {
                c++;
            }
        }
        return c;
    }
}
