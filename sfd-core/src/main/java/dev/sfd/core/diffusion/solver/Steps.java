package dev.sfd.core.diffusion.solver;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;
import java.util.Arrays;

/** Small shared pieces of every solver: input checks, one model call, linear combinations. */
final class Steps {

    private Steps() {
    }

    /** Checks x and the timestamps before a solve; the message names the solver. */
    static void check(String solver, FloatTensor x, double[] times, Condition c) {
        if (x == null || times == null || c == null) {
            throw new IllegalArgumentException(solver + ": model input x, timestamps and condition must not be null");
        }
        if (x.rank() < 2 || x.batch() < 1) {
            throw new IllegalArgumentException(solver + ": x must be batch-first with rank >= 2 and batch >= 1, got "
                    + x.shapeString());
        }
        x.requireFinite(solver + " initial state x");
        if (times.length < 2) {
            throw new IllegalArgumentException(solver + ": need at least 2 timestamps (1 step), got "
                    + Arrays.toString(times));
        }
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i]) || times[i] < 0) {
                throw new IllegalArgumentException(solver + ": timestamp " + i + " = " + times[i]
                        + " is not a finite noise level >= 0");
            }
            if (i > 0 && !(times[i] < times[i - 1])) {
                throw new IllegalArgumentException(solver + ": timestamps must be strictly decreasing (t_N first), got "
                        + times[i - 1] + " then " + times[i] + " at index " + i);
            }
        }
        c.requireBatch(x.batch(), solver);
    }

    /** ε(x, t, c) with the same t for every sample; checks the model's output. */
    static FloatTensor eps(NoiseModel model, FloatTensor x, double t, Condition c) {
        double[] ts = new double[x.batch()];
        Arrays.fill(ts, t);
        FloatTensor e = model.epsilon(x, ts, c);
        if (!Arrays.equals(e.shape(), x.shape())) {
            throw new IllegalStateException("model " + model.name() + " returned ε of shape " + e.shapeString()
                    + " for x of shape " + x.shapeString());
        }
        return e.requireFinite("ε from model " + model.name() + " at t = " + t);
    }

    /** a·u + b·v, element-wise, computed in double. */
    static FloatTensor lin(double a, FloatTensor u, double b, FloatTensor v) {
        float[] ud = u.data();
        float[] vd = v.data();
        float[] out = new float[ud.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (a * ud[i] + b * vd[i]);
        }
        return new FloatTensor(u.shape().clone(), out);
    }

    /** Σ_j coef[j]·terms[j], element-wise, computed in double. */
    static FloatTensor lin(double[] coef, FloatTensor... terms) {
        float[] out = new float[terms[0].data().length];
        for (int i = 0; i < out.length; i++) {
            double s = 0;
            for (int j = 0; j < terms.length; j++) {
                s += coef[j] * terms[j].data()[i];
            }
            out[i] = (float) s;
        }
        return new FloatTensor(terms[0].shape().clone(), out);
    }

    /** The denoiser D(x, t) = x − t·ε. */
    static FloatTensor denoised(FloatTensor x, double t, FloatTensor eps) {
        return lin(1, x, -t, eps);
    }

    /** Number of pieces of {@code every} steps in {@code t}; an error when it does not divide. */
    static int pieces(String solver, double[] t, int every) {
        if (every < 1 || t.length < 2 || (t.length - 1) % every != 0) {
            throw new IllegalArgumentException(solver + ": cannot keep every " + every + "-th of " + t.length
                    + " timestamps: need every >= 1 dividing the " + (t.length - 1) + " steps");
        }
        return (t.length - 1) / every;
    }
}
