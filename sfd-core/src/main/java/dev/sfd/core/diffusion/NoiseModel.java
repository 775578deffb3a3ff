package dev.sfd.core.diffusion;

import dev.sfd.core.tensor.FloatTensor;

/**
 * A noise predictor ε(x, t, c) over a batch, in the variance-exploding form of SFD.md:
 * {@code x_t = x_0 + t·ε}, denoiser {@code D(x, t) = x − t·ε(x, t)}, PF-ODE {@code dx/dt = ε}.
 *
 * <p>One call of {@link #epsilon} is one network evaluation (one NFE for the whole batch).
 */
public interface NoiseModel extends AutoCloseable {

    /**
     * @param x batch-first noisy samples [B, …]
     * @param t noise level of each sample, length B
     * @param c condition for the batch ({@link Condition#none()} = ∅)
     * @return ε, same shape as {@code x}
     */
    FloatTensor epsilon(FloatTensor x, double[] t, Condition c);

    /** Short human-readable name used in error messages and reports. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** Releases native resources (ONNX sessions); analytic models hold none. */
    @Override
    default void close() {
    }

    /** Throws a message naming {@code model} unless x and t are consistent and finite. */
    static void checkInputs(String model, FloatTensor x, double[] t, Condition c) {
        if (x == null || t == null || c == null) {
            throw new IllegalArgumentException(model + ": x, t and condition must not be null"
                    + " (use Condition.none() for ∅)");
        }
        if (x.rank() < 2) {
            throw new IllegalArgumentException(model + ": x must be batch-first with rank >= 2, got shape "
                    + x.shapeString());
        }
        if (t.length != x.batch()) {
            throw new IllegalArgumentException(model + ": t has " + t.length + " entries but x " + x.shapeString()
                    + " has batch " + x.batch());
        }
        for (int i = 0; i < t.length; i++) {
            if (!Double.isFinite(t[i]) || t[i] < 0) {
                throw new IllegalArgumentException(model + ": t[" + i + "] = " + t[i] + " is not a finite noise level >= 0");
            }
        }
        c.requireBatch(x.batch(), model);
    }
}
