package dev.sfd.core.distill;

import dev.sfd.core.onnx.GraphBuilder;
import dev.sfd.core.onnx.nn.Init;
import dev.sfd.core.onnx.nn.Linear;
import dev.sfd.core.onnx.nn.SinusoidalEmbedding;

/**
 * The step-count condition of SFD-v (SFD.md "One student for many step counts"): the student's
 * step count N [B] is embedded like the timestep, sinusoidal → Linear → SiLU → Linear, into the
 * width of the teacher's time embedding. The last Linear starts at zero, so a fresh student adds
 * exactly 0 and equals its teacher. Parameters are named {@code sfd.steps.fc1.*} and
 * {@code sfd.steps.fc2.*}.
 */
public final class StepCountEmbedding {

    /** Name of the student's step-count input: float [B], the N of each sample. */
    public static final String INPUT = "steps";
    /** Prefix of the new parameters. */
    public static final String PREFIX = "sfd.steps";
    /** Sinusoidal features of N (N is small, so a short max period resolves neighbouring N). */
    public static final int FEATURES = 32;
    public static final double MAX_PERIOD = 64;

    private StepCountEmbedding() {
    }

    /**
     * Appends the embedding of {@code steps} to {@code g} and returns its value [B, width].
     *
     * @param width the teacher's time-embedding width D
     * @param seed  seed of the (non-zero) first layer
     */
    public static String append(GraphBuilder g, String steps, int width, long seed) {
        if (width < 1) {
            throw new IllegalArgumentException("step-count embedding width must be >= 1, got " + width);
        }
        Init init = new Init(seed);
        Linear fc1 = new Linear(g, PREFIX + ".fc1", FEATURES, width, init);
        Linear fc2 = new Linear(g, PREFIX + ".fc2", width, width, init, true); // zero: fresh student = teacher
        return fc2.apply(g.silu(fc1.apply(SinusoidalEmbedding.apply(g, steps, FEATURES, MAX_PERIOD))));
    }
}
