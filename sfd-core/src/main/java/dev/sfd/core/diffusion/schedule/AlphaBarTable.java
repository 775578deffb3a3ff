package dev.sfd.core.diffusion.schedule;

import dev.sfd.core.diffusion.VpVe;

/**
 * The cumulative ᾱ_k (k = 0 … n−1) of a discrete variance-preserving model, its VE noise levels
 * {@code σ_k = sqrt((1 − ᾱ_k)/ᾱ_k)} (increasing in k), and the interpolated discrete timestep of any
 * σ in [σ_0, σ_{n−1}]: linear in log σ between neighbouring entries (the usual k-diffusion choice).
 */
public final class AlphaBarTable {

    private final double[] alphaBar;
    private final double[] logSigma;

    public AlphaBarTable(double[] alphaBar) {
        if (alphaBar.length < 2) {
            throw new IllegalArgumentException("an ᾱ table needs at least 2 entries, got " + alphaBar.length);
        }
        this.alphaBar = alphaBar.clone();
        this.logSigma = new double[alphaBar.length];
        for (int k = 0; k < alphaBar.length; k++) {
            if (!(alphaBar[k] > 0 && alphaBar[k] < 1)) {
                throw new IllegalArgumentException("ᾱ[" + k + "] = " + alphaBar[k] + " must be in (0, 1)");
            }
            logSigma[k] = Math.log(VpVe.sigmaOfAlphaBar(alphaBar[k]));
            if (k > 0 && !(logSigma[k] > logSigma[k - 1])) {
                throw new IllegalArgumentException("ᾱ must decrease strictly with k; ᾱ[" + (k - 1) + "] = "
                        + alphaBar[k - 1] + ", ᾱ[" + k + "] = " + alphaBar[k]);
            }
        }
    }

    /** ᾱ_k = Π_{i<=k} (1 − β_i). */
    public static AlphaBarTable fromBetas(double[] betas) {
        double[] a = new double[betas.length];
        double prod = 1;
        for (int k = 0; k < betas.length; k++) {
            if (!(betas[k] > 0 && betas[k] < 1)) {
                throw new IllegalArgumentException("β[" + k + "] = " + betas[k] + " must be in (0, 1)");
            }
            prod *= 1 - betas[k];
            a[k] = prod;
        }
        return new AlphaBarTable(a);
    }

    /** β_k linear from {@code start} to {@code end} over n steps (DDPM). */
    public static AlphaBarTable linear(double start, double end, int n) {
        double[] b = new double[n];
        for (int k = 0; k < n; k++) {
            b[k] = start + (end - start) * k / (n - 1);
        }
        return fromBetas(b);
    }

    /** β_k = (linear from sqrt(start) to sqrt(end))², Stable Diffusion's "scaled_linear". */
    public static AlphaBarTable scaledLinear(double start, double end, int n) {
        double[] b = new double[n];
        for (int k = 0; k < n; k++) {
            double s = Math.sqrt(start) + (Math.sqrt(end) - Math.sqrt(start)) * k / (n - 1);
            b[k] = s * s;
        }
        return fromBetas(b);
    }

    /** Stable Diffusion v1.x: scaled-linear β from 0.00085 to 0.012 over 1000 steps (σ ≈ 0.0292 … 14.61). */
    public static AlphaBarTable stableDiffusion() {
        return scaledLinear(0.00085, 0.012, 1000);
    }

    public int size() {
        return alphaBar.length;
    }

    public double alphaBar(int k) {
        return alphaBar[k];
    }

    public double sigma(int k) {
        return Math.exp(logSigma[k]);
    }

    public double sigmaMin() {
        return sigma(0);
    }

    public double sigmaMax() {
        return sigma(alphaBar.length - 1);
    }

    /** σ at a fractional timestep u ∈ [0, n−1], log-linear between entries. */
    public double sigmaAt(double u) {
        if (!(u >= 0 && u <= alphaBar.length - 1)) {
            throw new IllegalArgumentException("discrete timestep " + u + " is outside [0, " + (alphaBar.length - 1) + "]");
        }
        int k = (int) Math.min(Math.floor(u), alphaBar.length - 2);
        double f = u - k;
        return Math.exp((1 - f) * logSigma[k] + f * logSigma[k + 1]);
    }

    /** The interpolated discrete timestep of σ (inverse of {@link #sigmaAt}). */
    public double timestepOf(double sigma) {
        double ls = Math.log(sigma);
        double slack = 1e-9;
        if (!(ls >= logSigma[0] - slack && ls <= logSigma[logSigma.length - 1] + slack)) {
            throw new IllegalArgumentException("σ = " + sigma + " is outside the model's range [" + sigmaMin()
                    + ", " + sigmaMax() + "]");
        }
        int lo = 0;
        int hi = logSigma.length - 1;
        while (hi - lo > 1) { // binary search for logSigma[lo] <= ls <= logSigma[hi]
            int mid = (lo + hi) >>> 1;
            if (logSigma[mid] <= ls) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        double f = (ls - logSigma[lo]) / (logSigma[hi] - logSigma[lo]);
        return Math.max(0, Math.min(logSigma.length - 1, lo + f));
    }
}
