package dev.sfd.core.diffusion;

import dev.sfd.core.tensor.FloatTensor;

/**
 * Conversions between a variance-preserving (VP, Stable-Diffusion-style) model and the
 * variance-exploding form used everywhere else (SFD.md "Latent / VP models"):
 * {@code σ = sqrt((1 − ᾱ)/ᾱ)}, {@code ᾱ = 1/(1 + σ²)}, {@code x_VE = x_VP / sqrt(ᾱ)},
 * {@code x_VP = x_VE / sqrt(σ² + 1)}; ε is the same in both forms.
 */
public final class VpVe {

    private VpVe() {
    }

    /** σ = sqrt((1 − ᾱ)/ᾱ), for ᾱ in (0, 1]. */
    public static double sigmaOfAlphaBar(double alphaBar) {
        if (!(alphaBar > 0 && alphaBar <= 1)) {
            throw new IllegalArgumentException("ᾱ must be in (0, 1], got " + alphaBar);
        }
        return Math.sqrt((1 - alphaBar) / alphaBar);
    }

    /** ᾱ = 1/(1 + σ²), for σ >= 0. */
    public static double alphaBarOfSigma(double sigma) {
        if (!(sigma >= 0) || !Double.isFinite(sigma)) {
            throw new IllegalArgumentException("σ must be finite and >= 0, got " + sigma);
        }
        return 1 / (1 + sigma * sigma);
    }

    /** x_VE = x_VP / sqrt(ᾱ) = x_VP·sqrt(σ² + 1), per sample σ. */
    public static FloatTensor veFromVp(FloatTensor xVp, double[] sigma) {
        return scalePerSample(xVp, sigma, true);
    }

    /** x_VP = x_VE / sqrt(σ² + 1): also the scaled input a VP network expects. */
    public static FloatTensor vpFromVe(FloatTensor xVe, double[] sigma) {
        return scalePerSample(xVe, sigma, false);
    }

    private static FloatTensor scalePerSample(FloatTensor x, double[] sigma, boolean up) {
        if (sigma.length != x.batch()) {
            throw new IllegalArgumentException("σ has " + sigma.length + " entries for a batch of " + x.batch());
        }
        int d = x.sampleSize();
        float[] out = new float[x.data().length];
        for (int b = 0; b < sigma.length; b++) {
            double s = Math.sqrt(sigma[b] * sigma[b] + 1);
            double f = up ? s : 1 / s;
            for (int i = b * d; i < (b + 1) * d; i++) {
                out[i] = (float) (x.data()[i] * f);
            }
        }
        return new FloatTensor(x.shape().clone(), out);
    }
}
