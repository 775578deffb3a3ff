package dev.sfd.core.diffusion.solver;

import dev.sfd.core.tensor.FloatTensor;

/**
 * The DPM-Solver++ multistep updates (Lu et al. 2022, "DPM-Solver++", data-prediction form) in
 * the VE form: α = 1, σ = t, λ = −log t. The exact solution from s to t < s is
 * {@code x_t = (t/s)·x_s + t·∫_{λ_s}^{λ_t} e^λ·D(λ) dλ}; with h = λ_t − λ_s (so e^{−h} = t/s) and D
 * expanded around λ_s as m0 + D'·(λ − λ_s) + D''·(λ − λ_s)²/2, the integrals give the
 * coefficients below. {@code m0, m1, m2} are the denoised outputs at the last three timestamps.
 */
final class DpmSolverPlusPlusUpdates {

    private DpmSolverPlusPlusUpdates() {
    }

    static double lambda(double t) {
        return -Math.log(t);
    }

    /** First order (= DDIM = Euler): x_t = (t/s)·x + (1 − t/s)·m0; at t = 0 this is m0. */
    static FloatTensor first(FloatTensor x, double s, double t, FloatTensor m0) {
        double ratio = t / s; // e^{−h}
        return Steps.lin(ratio, x, 1 - ratio, m0);
    }

    /**
     * Second order, DPM-Solver++(2M) (Lu et al. 2022, Algorithm 2): with r = h_prev/h,
     * D = (1 + 1/(2r))·m0 − 1/(2r)·m1 and x_t = (t/s)·x + (1 − t/s)·D.
     */
    static FloatTensor second(FloatTensor x, double s, double t, FloatTensor m0, FloatTensor m1, double hPrev) {
        double ratio = t / s;
        double h = lambda(t) - lambda(s);
        double r = hPrev / h;
        double a = (1 - ratio) * (1 + 1 / (2 * r));
        double b = -(1 - ratio) / (2 * r);
        return Steps.lin(new double[] {ratio, a, b}, x, m0, m1);
    }

    /**
     * Third order, DPM-Solver++(3M): r0 = h0/h, r1 = h1/h, D1_0 = (m0 − m1)/r0, D1_1 = (m1 − m2)/r1,
     * D1 = D1_0 + r0/(r0 + r1)·(D1_0 − D1_1) ≈ h·D', D2 = (D1_0 − D1_1)/(r0 + r1) ≈ h²·D''/2, and
     * x_t = e^{−h}x + (1 − e^{−h})·m0 + φ2·D1 + (1 − 2φ2/h)·D2 with φ2 = (h − 1 + e^{−h})/h.
     * (From t·∫e^λ(λ−λ_s)dλ = h − 1 + e^{−h} and t·∫e^λ(λ−λ_s)²/2 dλ = h²/2 − h + 1 − e^{−h}.)
     */
    static FloatTensor third(FloatTensor x, double s, double t, FloatTensor m0, FloatTensor m1, FloatTensor m2,
            double h0, double h1) {
        double ratio = t / s;
        double h = lambda(t) - lambda(s);
        double r0 = h0 / h;
        double r1 = h1 / h;
        double phi2 = (h - (1 - ratio)) / h;
        double c2 = 1 - 2 * phi2 / h; // = −2φ3 in the φ notation of the DPM-Solver code (not −φ3: that drops to 2nd order)
        // D1 = (1/r0 + r0/(r0+r1)·(1/r0))·m0 − (…)·m1 + (…)·m2, expanded into coefficients of m0, m1, m2:
        double d10m0 = 1 / r0;
        double d10m1 = -1 / r0;
        double d11m1 = 1 / r1;
        double d11m2 = -1 / r1;
        double w = r0 / (r0 + r1);
        double d1m0 = d10m0 + w * d10m0;
        double d1m1 = d10m1 + w * (d10m1 - d11m1);
        double d1m2 = -w * d11m2;
        double v = 1 / (r0 + r1);
        double d2m0 = v * d10m0;
        double d2m1 = v * (d10m1 - d11m1);
        double d2m2 = -v * d11m2;
        double cm0 = (1 - ratio) + phi2 * d1m0 + c2 * d2m0;
        double cm1 = phi2 * d1m1 + c2 * d2m1;
        double cm2 = phi2 * d1m2 + c2 * d2m2;
        return Steps.lin(new double[] {ratio, cm0, cm1, cm2}, x, m0, m1, m2);
    }

    /**
     * Order of step i of M (0-based) for a multistep method of order p: lower order at the first
     * steps (no history yet) and at the final steps, min(p, i + 1, M − i); a step to t = 0 is first order.
     */
    static int orderAt(int p, int i, int steps, double tNext) {
        if (tNext == 0) {
            return 1;
        }
        return Math.min(p, Math.min(i + 1, steps - i));
    }
}
