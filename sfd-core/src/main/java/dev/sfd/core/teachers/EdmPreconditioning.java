package dev.sfd.core.teachers;

import dev.sfd.core.onnx.GraphBuilder;
import java.util.function.BiFunction;

/**
 * EDM preconditioning (Karras et al. 2022, table 1) inside an ONNX graph, so callers pass raw x
 * and t: the network F sees c_in·x and c_noise(t), the denoiser is D = c_skip·x + c_out·F, and
 * the graph returns ε = (x − D)/t, simplified to ε = t/(t²+σ_d²)·x − σ_d/√(t²+σ_d²)·F (no
 * division by t, so it stays finite at small t).
 */
public final class EdmPreconditioning {

    /** Scale applied to c_noise = ln(t)/4 before its sinusoidal features (resolution in ln t). */
    public static final double NOISE_FEATURE_SCALE = 16;

    private EdmPreconditioning() {
    }

    /**
     * Builds ε from raw inputs.
     *
     * @param x         value [B, …sample]
     * @param t         value [B] (noise level σ)
     * @param sigmaData σ_d, the data's standard deviation
     * @param network   (c_in·x, c_noise [B]) → F, same shape as x
     * @return the ε value, same shape as x
     */
    public static String epsilon(GraphBuilder g, String x, String t, double sigmaData, int sampleRank,
            BiFunction<String, String, String> network) {
        String t2 = g.mul(t, t);
        String s2 = g.add(t2, g.scalar(sigmaData * sigmaData));            // t² + σ_d²
        String cIn = g.div(g.scalar(1), g.sqrt(s2));                       // c_in = 1/√(t²+σ_d²)
        String cNoise = g.scale(g.log(t), 0.25);                           // c_noise = ln(t)/4
        String f = network.apply(g.mul(x, perSample(g, cIn, sampleRank)), cNoise);
        String a = perSample(g, g.div(t, s2), sampleRank);                 // t/(t²+σ_d²)
        String b = perSample(g, g.scale(cIn, sigmaData), sampleRank);      // σ_d/√(t²+σ_d²)
        return g.sub(g.mul(a, x), g.mul(b, f));
    }

    /**
     * λ(t) of the ε loss that equals EDM's weighting of the D loss: λ_EDM = (t²+σ_d²)/(t·σ_d)² on
     * ‖D − x₀‖² = t²‖ε_θ − ε‖² gives λ(t) = (t²+σ_d²)/σ_d² (= unit weight on F's error).
     */
    public static double epsilonLossWeight(double t, double sigmaData) {
        return (t * t + sigmaData * sigmaData) / (sigmaData * sigmaData);
    }

    /** [B] → [B, 1, …] (sampleRank ones) for broadcasting over a sample. */
    private static String perSample(GraphBuilder g, String v, int sampleRank) {
        long[] axes = new long[sampleRank];
        for (int i = 0; i < sampleRank; i++) {
            axes[i] = i + 1;
        }
        return g.unsqueeze(v, axes);
    }
}
