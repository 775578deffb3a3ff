package dev.sfd.core.metrics;

import dev.sfd.core.tensor.FloatTensor;

/**
 * Fréchet distance between Gaussians fitted to sample sets (the formula behind FID):
 * {@code FD = |μ1 − μ2|² + tr(Σ1 + Σ2 − 2·(Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2})}.
 */
public final class FrechetDistance {

    private FrechetDistance() {
    }

    /** FD between two sample sets [n, …] of the same per-sample size. */
    public static double between(FloatTensor a, FloatTensor b) {
        if (a.sampleSize() != b.sampleSize()) {
            throw new IllegalArgumentException("sample sets have different dimensions: " + a.shapeString()
                    + " vs " + b.shapeString());
        }
        return ofGaussians(SampleStatistics.mean(a), SampleStatistics.covariance(a),
                SampleStatistics.mean(b), SampleStatistics.covariance(b));
    }

    /** FD between a sample set and a known mean and covariance. */
    public static double toGaussian(FloatTensor samples, double[] mean, double[][] covariance) {
        return ofGaussians(SampleStatistics.mean(samples), SampleStatistics.covariance(samples), mean, covariance);
    }

    /** FD between N(μ1, Σ1) and N(μ2, Σ2). */
    public static double ofGaussians(double[] mu1, double[][] c1, double[] mu2, double[][] c2) {
        int d = mu1.length;
        if (mu2.length != d || c1.length != d || c2.length != d) {
            throw new IllegalArgumentException("dimension mismatch: means " + mu1.length + ", " + mu2.length
                    + ", covariances " + c1.length + ", " + c2.length);
        }
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            meanTerm += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        }
        double[][] s1 = SymmetricEigen.sqrtPsd(c1);
        double[][] inner = multiply(multiply(s1, c2), s1);
        for (int i = 0; i < d; i++) { // symmetrise against rounding
            for (int j = 0; j < i; j++) {
                double m = (inner[i][j] + inner[j][i]) / 2;
                inner[i][j] = m;
                inner[j][i] = m;
            }
        }
        double[][] root = SymmetricEigen.sqrtPsd(inner);
        double trace = 0;
        for (int i = 0; i < d; i++) {
            trace += c1[i][i] + c2[i][i] - 2 * root[i][i];
        }
        return meanTerm + trace;
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        int m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < b.length; k++) {
                double aik = a[i][k];
                for (int j = 0; j < m; j++) {
                    out[i][j] += aik * b[k][j];
                }
            }
        }
        return out;
    }
}
