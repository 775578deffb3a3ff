package dev.sfd.core.metrics;

import dev.sfd.core.tensor.FloatTensor;

/** Mean and covariance of a sample set given as a batch-first tensor [n, …] (each sample flattened). */
public final class SampleStatistics {

    private SampleStatistics() {
    }

    public static double[] mean(FloatTensor samples) {
        requireSamples(samples, 1);
        int n = samples.batch();
        int d = samples.sampleSize();
        double[] m = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                m[j] += samples.data()[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            m[j] /= n;
        }
        return m;
    }

    /** Unbiased sample covariance (divides by n − 1). */
    public static double[][] covariance(FloatTensor samples) {
        requireSamples(samples, 2);
        int n = samples.batch();
        int d = samples.sampleSize();
        double[] m = mean(samples);
        double[][] c = new double[d][d];
        double[] row = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                row[j] = samples.data()[i * d + j] - m[j];
            }
            for (int a = 0; a < d; a++) {
                for (int b = a; b < d; b++) {
                    c[a][b] += row[a] * row[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                c[a][b] /= n - 1;
                c[b][a] = c[a][b];
            }
        }
        return c;
    }

    static void requireSamples(FloatTensor samples, int min) {
        if (samples == null || samples.rank() < 2 || samples.batch() < min) {
            throw new IllegalArgumentException("need a batch-first sample tensor with at least " + min + " samples, got "
                    + (samples == null ? "null" : samples.shapeString()));
        }
        samples.requireFinite("samples");
    }
}
