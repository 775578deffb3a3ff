package dev.sfd.core.teachers;

import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/** Training data of the {@code mixture2d} teacher: labelled samples of {@link Mixture2d#ring()}. */
final class Mixture2dTeacherData implements TeacherData {

    private final List<Mixture2d.Mode> modes = Mixture2d.ring().modes();

    @Override
    public long[] sampleShape() {
        return new long[] {2};
    }

    @Override
    public int classes() {
        return modes.size();
    }

    @Override
    public OnnxModel network(TeacherRecipe recipe) {
        return Mixture2dTeacherNet.build(recipe);
    }

    @Override
    public Batch draw(int n, SplitMix64 rng, double dropout) {
        float[] x = new float[2 * n];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int k = (int) Math.min(modes.size() - 1, rng.nextDouble() * modes.size());
            Mixture2d.Mode m = modes.get(k);
            x[2 * i] = (float) (m.x() + Mixture2d.MODE_STD * rng.nextGaussian());
            x[2 * i + 1] = (float) (m.y() + Mixture2d.MODE_STD * rng.nextGaussian());
            labels[i] = rng.nextDouble() < dropout ? -1 : k;
        }
        return new Batch(new FloatTensor(new long[] {n, 2}, x), labels);
    }
}
