package dev.sfd.core.teachers;

import dev.sfd.core.data.ShapeSpec;
import dev.sfd.core.data.ShapesBatch;
import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.random.SplitMix64;

/**
 * Training data of the {@code shapes} teacher: {@link ShapesDataset} images with labels
 * {@link ShapesLabels}; colour and shape are dropped independently (partial prompts and ∅).
 */
final class ShapesTeacherData implements TeacherData {

    @Override
    public long[] sampleShape() {
        return new long[] {ShapesDataset.CHANNELS, ShapesDataset.SIZE, ShapesDataset.SIZE};
    }

    @Override
    public int classes() {
        return ShapesLabels.CLASSES;
    }

    @Override
    public OnnxModel network(TeacherRecipe recipe) {
        return ShapesTeacherNet.build(recipe);
    }

    @Override
    public Batch draw(int n, SplitMix64 rng, double dropout) {
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = rng.nextLong();
        }
        ShapesBatch batch = ShapesDataset.batch(seeds);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            ShapeSpec s = batch.specs().get(i);
            int colour = rng.nextDouble() < dropout ? 0 : s.label().colour().ordinal() + 1;
            int shape = rng.nextDouble() < dropout ? 0 : s.label().shape().ordinal() + 1;
            labels[i] = ShapesLabels.of(colour, shape);
        }
        return new Batch(batch.images(), labels);
    }
}
