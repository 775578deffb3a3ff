package dev.sfd.core.diffusion.mixture;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;

/**
 * The exact noise predictor of a {@link GaussianMixture}: a perfect "network" whose PF-ODE
 * reproduces the mixture, used as a reference teacher in tests and demos. Samples are
 * batch-first with D elements each (any shape whose per-sample size is D). A label condition
 * restricts the mixture to the components with that label; ∅ (or label −1) uses all of them.
 */
public final class GaussianMixtureNoiseModel implements NoiseModel {

    private final GaussianMixture mixture;

    public GaussianMixtureNoiseModel(GaussianMixture mixture) {
        this.mixture = mixture;
    }

    public GaussianMixture mixture() {
        return mixture;
    }

    @Override
    public FloatTensor epsilon(FloatTensor x, double[] t, Condition c) {
        NoiseModel.checkInputs(name(), x, t, c);
        if (c.hasEmbedding()) {
            throw new IllegalArgumentException(name() + " is conditioned by class labels, not embeddings: " + c);
        }
        int d = mixture.dimension();
        if (x.sampleSize() != d) {
            throw new IllegalArgumentException(name() + ": x " + x.shapeString() + " has " + x.sampleSize()
                    + " elements per sample, the mixture has dimension " + d);
        }
        x.requireFinite(name() + " input x");
        float[] out = new float[x.data().length];
        double[] xi = new double[d];
        double[] eps = new double[d];
        for (int b = 0; b < x.batch(); b++) {
            int label = c.labelOf(b);
            mixture.requireLabel(label);
            for (int j = 0; j < d; j++) {
                xi[j] = x.data()[b * d + j];
            }
            mixture.epsilon(xi, t[b], label, eps);
            for (int j = 0; j < d; j++) {
                out[b * d + j] = (float) eps[j];
            }
        }
        return new FloatTensor(x.shape().clone(), out);
    }

    @Override
    public String name() {
        return "gaussian-mixture(" + mixture.components() + " components, dim " + mixture.dimension() + ")";
    }
}
