package dev.sfd.core.data;

import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * A batch of labelled images from the {@link ShapesDataset}: {@code images} has shape
 * [B, 3, 16, 16]; {@code specs.get(b)} and {@code seeds[b]} describe image b.
 */
public record ShapesBatch(long[] seeds, FloatTensor images, List<ShapeSpec> specs) {

    public ShapesBatch {
        seeds = seeds.clone();
        specs = List.copyOf(specs);
        if (images.batch() != seeds.length || specs.size() != seeds.length) {
            throw new IllegalArgumentException("batch of " + images.batch() + " images has "
                    + seeds.length + " seeds and " + specs.size() + " specs");
        }
    }

    public int size() {
        return seeds.length;
    }

    /** The (shape, colour) labels, in batch order. */
    public List<ShapeLabel> labels() {
        return specs.stream().map(ShapeSpec::label).toList();
    }

    @Override
    public long[] seeds() {
        return seeds.clone();
    }
}
