package dev.sfd.core.metrics;

/**
 * Eigen-decomposition of a small real symmetric matrix by the cyclic Jacobi method
 * (Golub &amp; Van Loan, §8.5): A = V·diag(λ)·Vᵀ. Also the PSD square root V·diag(sqrt(max(λ, 0)))·Vᵀ.
 */
public final class SymmetricEigen {

    private final double[] values;
    private final double[][] vectors; // columns are eigenvectors

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    public static SymmetricEigen of(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length
                        + " entries, expected " + n);
            }
            m[i] = a[i].clone();
        }
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) {
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            double scale = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (i != j) {
                        off += m[i][j] * m[i][j];
                    }
                    scale += m[i][j] * m[i][j];
                }
            }
            if (off <= 1e-30 * Math.max(scale, 1e-300)) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (m[p][q] == 0) {
                        continue;
                    }
                    double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
                    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    if (theta == 0) {
                        t = 1;
                    }
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) { // A ← A·J
                        double mkp = m[k][p];
                        double mkq = m[k][q];
                        m[k][p] = c * mkp - s * mkq;
                        m[k][q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++) { // A ← Jᵀ·A
                        double mpk = m[p][k];
                        double mqk = m[q][k];
                        m[p][k] = c * mpk - s * mqk;
                        m[q][k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++) { // V ← V·J
                        double vkp = v[k][p];
                        double vkq = v[k][q];
                        v[k][p] = c * vkp - s * vkq;
                        v[k][q] = s * vkp + c * vkq;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = m[i][i];
        }
        return new SymmetricEigen(values, v);
    }

    public double[] values() {
        return values.clone();
    }

    /** Eigenvector {@code i} (a column of V). */
    public double[] vector(int i) {
        double[] out = new double[values.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = vectors[k][i];
        }
        return out;
    }

    /** V·diag(f(λ))·Vᵀ with f = sqrt(max(λ, 0)): the square root of a PSD matrix. */
    public double[][] sqrtPsd() {
        int n = values.length;
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            double f = Math.sqrt(Math.max(values[k], 0));
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    out[i][j] += vectors[i][k] * f * vectors[j][k];
                }
            }
        }
        return out;
    }

    /** Square root of a symmetric positive semi-definite matrix. */
    public static double[][] sqrtPsd(double[][] a) {
        return of(a).sqrtPsd();
    }
}
