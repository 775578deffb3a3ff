package dev.sfd.core.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Eigen-decomposition of a real symmetric matrix, A = V·diag(λ)·Vᵀ, by EJML's symmetric
 * eigen-solver (tridiagonal QR); also the PSD square root V·diag(sqrt(max(λ, 0)))·Vᵀ behind the
 * Fréchet distance. Values match the hand-written Jacobi solver it replaced to 1e-6 relative
 * ({@code FrechetReferenceTest}).
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
        DMatrixRMaj m = new DMatrixRMaj(n, n);
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length
                        + " entries, expected " + n);
            }
            for (int j = 0; j < n; j++) {
                m.unsafe_set(i, j, a[i][j]);
            }
        }
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(n, true, true);
        if (!eig.decompose(m)) {
            throw new IllegalArgumentException("the symmetric eigen-solver did not converge on a " + n + "×" + n
                    + " matrix (non-finite entries?)");
        }
        double[] values = new double[n];
        double[][] v = new double[n][n];
        for (int k = 0; k < n; k++) {
            values[k] = eig.getEigenvalue(k).getReal();
            DMatrixRMaj col = eig.getEigenVector(k);
            for (int i = 0; i < n; i++) {
                v[i][k] = col.get(i, 0);
            }
        }
        return new SymmetricEigen(values, v);
    }

    public double[] values() {
        return values.clone();
    }

    /** Eigenvector {@code i} (a column of V, unit length). */
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
