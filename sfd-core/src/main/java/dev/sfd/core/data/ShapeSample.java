package dev.sfd.core.data;

import dev.sfd.core.tensor.FloatTensor;

/**
 * One labelled image of the {@link ShapesDataset}.
 *
 * @param seed  the seed it was drawn from (same seed → same image)
 * @param spec  shape, colour and geometry
 * @param image tensor of shape [1, 3, 16, 16], values in [−1, 1]
 */
public record ShapeSample(long seed, ShapeSpec spec, FloatTensor image) {

    public ShapeLabel label() {
        return spec.label();
    }
}
