package dev.sfd.core.metrics;

import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;

/**
 * Mean squared error between two sample sets drawn from the same noise and condition, element by element
 * (e.g. a few-step sampler's decoded images against the teacher's converged ones).
 */
public final class PairedMse {

    private PairedMse() {
    }

    public static double of(FloatTensor a, FloatTensor b) {
        if (!Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("paired MSE needs samples of one shape, got " + a.shapeString() + " and "
                    + b.shapeString() + " (draw both from the same seeds and conditions)");
        }
        double s = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = a.data()[i] - b.data()[i];
            s += d * d;
        }
        return s / a.data().length;
    }
}
