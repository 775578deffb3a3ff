package dev.sfd.core.diffusion.mixture;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * A Gaussian-mixture data distribution {@code p_0 = Σ_k w_k N(μ_k, diag(v_k))} in any dimension,
 * with optional class labels per component (a condition label selects the components carrying it).
 *
 * <p>Under the VE noising {@code x_t = x_0 + t·ε} it stays a mixture with covariances
 * {@code diag(v_k) + t²I}, so everything is exact: the log-density of p_t, the posterior
 * responsibilities, and the noise {@code ε(x, t) = −t·∇log p_t(x) = t·Σ_k r_k (x − μ_k)/(v_k + t²)}
 * (equivalently {@code (x − E[x_0 | x_t]) / t}).
 */
public final class GaussianMixture {

    private final double[] weights;
    private final double[][] means;
    private final double[][] variances;
    private final int[] labels;
    private final int dim;

    /**
     * @param weights   positive component weights (normalised here)
     * @param means     K means of dimension D
     * @param variances K diagonal variances of dimension D, all > 0
     * @param labels    K class labels (>= 0), or null for an unlabelled mixture
     */
    public GaussianMixture(double[] weights, double[][] means, double[][] variances, int[] labels) {
        int k = weights.length;
        if (k == 0) {
            throw new IllegalArgumentException("a mixture needs at least one component");
        }
        if (means.length != k || variances.length != k || (labels != null && labels.length != k)) {
            throw new IllegalArgumentException("mixture with " + k + " weights has " + means.length + " means, "
                    + variances.length + " variances" + (labels == null ? "" : " and " + labels.length + " labels"));
        }
        this.dim = means[0].length;
        double total = 0;
        for (int i = 0; i < k; i++) {
            if (!(weights[i] > 0) || !Double.isFinite(weights[i])) {
                throw new IllegalArgumentException("component " + i + " weight " + weights[i] + " must be finite and > 0");
            }
            if (means[i].length != dim || variances[i].length != dim) {
                throw new IllegalArgumentException("component " + i + " has mean dimension " + means[i].length
                        + " and variance dimension " + variances[i].length + ", expected " + dim);
            }
            for (int d = 0; d < dim; d++) {
                if (!Double.isFinite(means[i][d]) || !(variances[i][d] > 0) || !Double.isFinite(variances[i][d])) {
                    throw new IllegalArgumentException("component " + i + " dimension " + d + ": mean " + means[i][d]
                            + ", variance " + variances[i][d] + " (need finite mean, finite variance > 0)");
                }
            }
            if (labels != null && labels[i] < 0) {
                throw new IllegalArgumentException("component " + i + " label " + labels[i] + " must be >= 0");
            }
            total += weights[i];
        }
        this.weights = new double[k];
        for (int i = 0; i < k; i++) {
            this.weights[i] = weights[i] / total;
        }
        this.means = deepCopy(means);
        this.variances = deepCopy(variances);
        this.labels = labels == null ? null : labels.clone();
    }

    /** Components with isotropic covariance std_k²·I. */
    public static GaussianMixture isotropic(double[] weights, double[][] means, double[] std, int[] labels) {
        double[][] v = new double[means.length][];
        for (int i = 0; i < means.length; i++) {
            if (i >= std.length) {
                throw new IllegalArgumentException(means.length + " means but only " + std.length + " standard deviations");
            }
            v[i] = new double[means[i].length];
            Arrays.fill(v[i], std[i] * std[i]);
        }
        return new GaussianMixture(weights, means, v, labels);
    }

    /** A single Gaussian N(μ, s²I). */
    public static GaussianMixture single(double[] mean, double s) {
        return isotropic(new double[] {1}, new double[][] {mean}, new double[] {s}, null);
    }

    public int dimension() {
        return dim;
    }

    public int components() {
        return weights.length;
    }

    public double weight(int k) {
        return weights[k];
    }

    public double[] mean(int k) {
        return means[k].clone();
    }

    public double[] variance(int k) {
        return variances[k].clone();
    }

    /** Label of component k, or {@link Condition#NULL_LABEL} for an unlabelled mixture. */
    public int label(int k) {
        return labels == null ? Condition.NULL_LABEL : labels[k];
    }

    /** True if component k belongs to the data selected by {@code label} (∅ selects all). */
    public boolean selects(int label, int k) {
        return label == Condition.NULL_LABEL || label(k) == label;
    }

    /** Throws unless at least one component carries {@code label}. */
    public void requireLabel(int label) {
        for (int k = 0; k < weights.length; k++) {
            if (selects(label, k)) {
                return;
            }
        }
        throw new IllegalArgumentException("no mixture component has label " + label
                + (labels == null ? " (the mixture is unlabelled)" : "; labels are " + Arrays.toString(labels)));
    }

    /** log N(x; μ_k, diag(v_k) + t²I) for every component (−∞ for components not selected). */
    private double[] componentLogTerms(double[] x, double t, int label) {
        double[] lt = new double[weights.length];
        double t2 = t * t;
        for (int k = 0; k < weights.length; k++) {
            if (!selects(label, k)) {
                lt[k] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double s = Math.log(weights[k]);
            for (int d = 0; d < dim; d++) {
                double var = variances[k][d] + t2;
                double diff = x[d] - means[k][d];
                s += -0.5 * (diff * diff / var + Math.log(2 * Math.PI * var));
            }
            lt[k] = s;
        }
        return lt;
    }

    /** log p_t(x | label): the exact log-density of the noised (sub-)mixture ({@code label} ∅ = all). */
    public double logDensity(double[] x, double t, int label) {
        requireDim(x);
        requireLabel(label);
        double[] lt = componentLogTerms(x, t, label);
        double m = max(lt);
        double s = 0;
        double selectedWeight = 0;
        for (int k = 0; k < lt.length; k++) {
            if (selects(label, k)) {
                s += Math.exp(lt[k] - m);
                selectedWeight += weights[k];
            }
        }
        return m + Math.log(s) - Math.log(selectedWeight);
    }

    /** log p_0(x) of the clean, unconditional data. */
    public double logDensity(double[] x) {
        return logDensity(x, 0, Condition.NULL_LABEL);
    }

    /** Posterior responsibilities r_k = P(component k | x_t = x), among the components {@code label} selects. */
    public double[] responsibilities(double[] x, double t, int label) {
        requireDim(x);
        double[] lt = componentLogTerms(x, t, label);
        double m = max(lt);
        double s = 0;
        for (int k = 0; k < lt.length; k++) {
            lt[k] = Math.exp(lt[k] - m);
            s += lt[k];
        }
        for (int k = 0; k < lt.length; k++) {
            lt[k] /= s;
        }
        return lt;
    }

    /** Exact ε(x, t) = −t·∇log p_t(x) = t·Σ_k r_k (x − μ_k)/(v_k + t²), written into {@code out}. */
    public void epsilon(double[] x, double t, int label, double[] out) {
        double[] r = responsibilities(x, t, label);
        Arrays.fill(out, 0);
        double t2 = t * t;
        for (int k = 0; k < r.length; k++) {
            if (r[k] == 0) {
                continue;
            }
            for (int d = 0; d < dim; d++) {
                out[d] += r[k] * t * (x[d] - means[k][d]) / (variances[k][d] + t2);
            }
        }
    }

    /** Exact posterior mean E[x_0 | x_t = x] = x − t·ε(x, t) (the ideal denoiser D). */
    public double[] posteriorMean(double[] x, double t, int label) {
        double[] eps = new double[dim];
        epsilon(x, t, label, eps);
        double[] out = new double[dim];
        for (int d = 0; d < dim; d++) {
            out[d] = x[d] - t * eps[d];
        }
        return out;
    }

    /** {@code n} exact samples of p_0 as a [n, D] tensor, from one seeded generator. */
    public FloatTensor sample(int n, long seed) {
        return sample(n, seed, Condition.NULL_LABEL);
    }

    /** {@code n} exact samples of the components selected by {@code label}. */
    public FloatTensor sample(int n, long seed, int label) {
        if (n < 0) {
            throw new IllegalArgumentException("sample count must be >= 0, got " + n);
        }
        requireLabel(label);
        SplitMix64 rng = new SplitMix64(seed);
        float[] out = new float[n * dim];
        double selected = 0;
        for (int k = 0; k < weights.length; k++) {
            selected += selects(label, k) ? weights[k] : 0;
        }
        for (int i = 0; i < n; i++) {
            double u = rng.nextDouble() * selected;
            int k = -1;
            for (int j = 0; j < weights.length; j++) {
                if (selects(label, j)) {
                    k = j;
                    u -= weights[j];
                    if (u < 0) {
                        break;
                    }
                }
            }
            for (int d = 0; d < dim; d++) {
                out[i * dim + d] = (float) (means[k][d] + Math.sqrt(variances[k][d]) * rng.nextGaussian());
            }
        }
        return new FloatTensor(new long[] {n, dim}, out);
    }

    /** Overall mean Σ w_k μ_k. */
    public double[] mean() {
        double[] m = new double[dim];
        for (int k = 0; k < weights.length; k++) {
            for (int d = 0; d < dim; d++) {
                m[d] += weights[k] * means[k][d];
            }
        }
        return m;
    }

    /** Overall covariance Σ w_k (diag(v_k) + μ_k μ_kᵀ) − μ μᵀ. */
    public double[][] covariance() {
        double[] m = mean();
        double[][] c = new double[dim][dim];
        for (int k = 0; k < weights.length; k++) {
            for (int i = 0; i < dim; i++) {
                c[i][i] += weights[k] * variances[k][i];
                for (int j = 0; j < dim; j++) {
                    c[i][j] += weights[k] * means[k][i] * means[k][j];
                }
            }
        }
        for (int i = 0; i < dim; i++) {
            for (int j = 0; j < dim; j++) {
                c[i][j] -= m[i] * m[j];
            }
        }
        return c;
    }

    private void requireDim(double[] x) {
        if (x.length != dim) {
            throw new IllegalArgumentException("point has dimension " + x.length + ", the mixture has " + dim);
        }
    }

    private static double max(double[] a) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    private static double[][] deepCopy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i].clone();
        }
        return c;
    }
}
