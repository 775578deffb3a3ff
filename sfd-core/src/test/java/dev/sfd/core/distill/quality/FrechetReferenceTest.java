package dev.sfd.core.distill.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.metrics.FrechetDistance;
import dev.sfd.core.tensor.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Fréchet distances of fixed inputs, recorded once with the hand-written Jacobi eigen-solver
 * that the library (EJML) replaced, in {@code frechet-reference.txt}: the library-based values
 * must match them to 1e-6 relative, so the FD figures in the README stand. The inputs are drawn
 * from {@link #SEED}; {@code -Dsfd.frechet.record=<file>} writes the file anew (only to be done
 * with a solver whose values are trusted).
 */
class FrechetReferenceTest {

    static final long SEED = 20_261_207L;
    private static final String RESOURCE = "frechet-reference.txt";

    @Test
    void libraryValuesMatchTheRecordedOnes() throws IOException {
        Map<String, Double> now = compute();
        String record = System.getProperty("sfd.frechet.record");
        if (record != null) {
            StringBuilder s = new StringBuilder("# case fd (recorded with the Jacobi solver, seed " + SEED + ")\n");
            now.forEach((k, v) -> s.append(k).append(' ').append(String.format(Locale.ROOT, "%.17g", v)).append('\n'));
            Files.writeString(Path.of(record), s.toString());
        }
        Map<String, Double> recorded = recorded();
        assertEquals(recorded.keySet(), now.keySet(), "the cases of " + RESOURCE);
        for (Map.Entry<String, Double> e : recorded.entrySet()) {
            double want = e.getValue();
            double got = now.get(e.getKey());
            assertTrue(want > 1e-3, e.getKey() + ": a reference FD that is not near 0 (" + want + ")");
            assertEquals(want, got, 1e-6 * Math.abs(want), e.getKey() + ": FD against the recorded Jacobi value");
        }
    }

    /** Gaussian pairs of dimension 1…64 (full rank, rank-deficient, diagonal, repeated eigenvalues) and two sample sets. */
    static Map<String, Double> compute() {
        SplittableRandom r = new SplittableRandom(SEED);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int d : new int[] {1, 2, 3, 5, 8, 16, 32, 64}) {
            out.put("full-" + d, FrechetDistance.ofGaussians(vector(r, d), spd(r, d, d), vector(r, d), spd(r, d, d)));
            if (d >= 2) {
                out.put("rank-deficient-" + d, FrechetDistance.ofGaussians(vector(r, d), spd(r, d, d / 2),
                        vector(r, d), spd(r, d, d)));
            }
            double[][] diagonal = new double[d][d];
            double[][] repeated = new double[d][d];
            for (int i = 0; i < d; i++) {
                diagonal[i][i] = 0.1 + r.nextDouble() * 3;
                repeated[i][i] = 2.5;
            }
            out.put("diagonal-vs-repeated-" + d, FrechetDistance.ofGaussians(vector(r, d), diagonal, vector(r, d),
                    repeated));
        }
        // more dimensions than samples: the Gram form (eigenvalues of an n×n matrix)
        out.put("samples-gram-40d", SampleFrechet.between(samples(r, 20, 40, 0), samples(r, 25, 40, 0.3)));
        out.put("samples-covariance-6d", SampleFrechet.between(samples(r, 300, 6, 0), samples(r, 200, 6, 0.5)));
        return out;
    }

    private static Map<String, Double> recorded() throws IOException {
        Map<String, Double> m = new LinkedHashMap<>();
        try (InputStream in = FrechetReferenceTest.class.getResourceAsStream(RESOURCE)) {
            assertNotNull(in, RESOURCE + " on the test class path");
            List<String> lines = new ArrayList<>(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
            for (String line : lines) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    String[] f = line.trim().split(" ");
                    m.put(f[0], Double.parseDouble(f[1]));
                }
            }
        }
        return m;
    }

    private static double[] vector(SplittableRandom r, int d) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    /** B·Bᵀ / rank with B a d×rank matrix of uniform entries: symmetric PSD of that rank. */
    private static double[][] spd(SplittableRandom r, int d, int rank) {
        double[][] b = new double[d][rank];
        for (double[] row : b) {
            for (int j = 0; j < rank; j++) {
                row[j] = r.nextDouble(-1, 1);
            }
        }
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int k = 0; k < rank; k++) {
                    c[i][j] += b[i][k] * b[j][k] / rank;
                }
            }
        }
        return c;
    }

    private static FloatTensor samples(SplittableRandom r, int n, int d, double shift) {
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble(-1, 1) * (1 + (i % d) * 0.05) + shift);
        }
        return new FloatTensor(new long[] {n, d}, x);
    }
}
