package dev.sfd.core.distill.quality;

import dev.sfd.core.metrics.FrechetDistance;
import dev.sfd.core.metrics.SymmetricEigen;
import dev.sfd.core.tensor.FloatTensor;

/**
 * Fréchet distance between two sample sets that stays cheap when a sample has more dimensions d
 * than there are samples n (images in pixel space): with the centred samples A (d×n_a) and B
 * (d×n_b), each scaled by 1/√(n−1), C_a = AAᵀ and C_b = BBᵀ, and tr √(C_a^½ C_b C_a^½) is the sum of
 * the singular values of AᵀB (an n_a×n_b matrix), so no d×d matrix is formed. Otherwise the
 * ordinary {@link FrechetDistance}.
 */
final class SampleFrechet {

    private SampleFrechet() {
    }

    static double between(FloatTensor a, FloatTensor b) {
        int d = a.sampleSize();
        if (d <= Math.min(a.batch(), b.batch())) {
            return FrechetDistance.between(a, b);
        }
        double[] ma = mean(a);
        double[] mb = mean(b);
        double meanTerm = 0;
        for (int i = 0; i < d; i++) {
            meanTerm += (ma[i] - mb[i]) * (ma[i] - mb[i]);
        }
        double[][] ca = centred(a, ma);
        double[][] cb = centred(b, mb);
        double trace = squaredNorm(ca) + squaredNorm(cb);
        int na = ca.length;
        int nb = cb.length;
        double[][] m = new double[na][nb]; // AᵀB
        for (int i = 0; i < na; i++) {
            for (int j = 0; j < nb; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) {
                    s += ca[i][k] * cb[j][k];
                }
                m[i][j] = s;
            }
        }
        double[][] mtm = new double[nb][nb];
        for (int i = 0; i < nb; i++) {
            for (int j = 0; j <= i; j++) {
                double s = 0;
                for (int k = 0; k < na; k++) {
                    s += m[k][i] * m[k][j];
                }
                mtm[i][j] = s;
                mtm[j][i] = s;
            }
        }
        double nuclear = 0;
        for (double v : SymmetricEigen.of(mtm).values()) {
            nuclear += Math.sqrt(Math.max(0, v));
        }
        return meanTerm + trace - 2 * nuclear;
    }

    private static double[] mean(FloatTensor x) {
        int d = x.sampleSize();
        double[] m = new double[d];
        for (int i = 0; i < x.batch(); i++) {
            for (int k = 0; k < d; k++) {
                m[k] += x.data()[i * d + k];
            }
        }
        for (int k = 0; k < d; k++) {
            m[k] /= x.batch();
        }
        return m;
    }

    /** Rows: centred samples scaled by 1/√(n−1). */
    private static double[][] centred(FloatTensor x, double[] mean) {
        int d = x.sampleSize();
        int n = x.batch();
        double scale = 1 / Math.sqrt(Math.max(1, n - 1));
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                out[i][k] = (x.data()[i * d + k] - mean[k]) * scale;
            }
        }
        return out;
    }

    private static double squaredNorm(double[][] rows) {
        double s = 0;
        for (double[] r : rows) {
            for (double v : r) {
                s += v * v;
            }
        }
        return s;
    }
}
