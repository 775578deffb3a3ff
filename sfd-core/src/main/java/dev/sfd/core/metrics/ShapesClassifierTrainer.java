package dev.sfd.core.metrics;

import dev.sfd.core.data.ShapeLabel;
import dev.sfd.core.data.ShapesBatch;
import dev.sfd.core.data.ShapesDataset;
import dev.sfd.core.onnx.Attrs;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.training.AdamConfig;
import dev.sfd.core.training.LearningRateSchedule;
import dev.sfd.core.training.Loss;
import dev.sfd.core.training.TrainingRunner;
import java.util.List;
import java.util.Map;

/**
 * Trains the {@link ShapesClassifierNet} on real {@link ShapesDataset} images (fresh seeded
 * images every step, seeds below {@link #HELD_OUT_FIRST_SEED}) with the summed cross-entropy of
 * both heads, −Σ onehot·LogSoftmax(logits) per head. Each image gets Gaussian pixel noise with
 * a standard deviation uniform in [0, {@value #MAX_PIXEL_NOISE}] so the classifier is robust to
 * the residual noise of few-step samplers.
 */
public final class ShapesClassifierTrainer {

    public static final String TARGETS = "targets";
    public static final long HELD_OUT_FIRST_SEED = 5_000_000_000L;
    public static final double MAX_PIXEL_NOISE = 0.15;

    /**
     * @param seed  initial weights and batches
     * @param steps optimiser steps
     * @param batch images per step
     * @param lr    Adam learning rate (×0.1 after 70% of the steps)
     */
    public record Recipe(long seed, int steps, int batch, double lr) {
        public static Recipe defaults() {
            return new Recipe(20240503L, 1200, 64, 2e-3);
        }

        public String toJson() {
            return String.format("{\"seed\":%d,\"steps\":%d,\"batch\":%d,\"lr\":%s,\"lr_drop\":\"x0.1 after 70%%\","
                    + "\"pixel_noise_max\":%s,\"loss\":\"cross-entropy colour + shape\"}", seed, steps, batch, lr,
                    MAX_PIXEL_NOISE);
        }
    }

    private ShapesClassifierTrainer() {
    }

    /** The trained classifier (with its recipe in the {@code sfd.recipe} metadata). */
    public static OnnxModel train(Recipe recipe, SessionConfig session) {
        OnnxModel net = ShapesClassifierNet.build(recipe.seed());
        SplitMix64 rng = new SplitMix64(recipe.seed() ^ 0xC1A55L);
        try (TrainingRunner runner = TrainingRunner.builder(net, ShapesClassifierNet.LOGITS).loss(crossEntropy())
                .adam(AdamConfig.defaults())
                .schedule(LearningRateSchedule.constantThenDrop(recipe.lr(), Math.round(recipe.steps() * 0.7) + 1, 0.1))
                .session(session).build()) {
            for (int s = 0; s < recipe.steps(); s++) {
                long[] seeds = new long[recipe.batch()];
                for (int i = 0; i < seeds.length; i++) {
                    seeds[i] = Math.floorMod(rng.nextLong(), HELD_OUT_FIRST_SEED);
                }
                ShapesBatch b = ShapesDataset.batch(seeds);
                float[] x = b.images().data().clone();
                int per = x.length / seeds.length;
                for (int i = 0; i < seeds.length; i++) {
                    double std = rng.nextDouble() * MAX_PIXEL_NOISE;
                    for (int j = i * per; j < (i + 1) * per; j++) {
                        x[j] += (float) (std * rng.nextGaussian());
                    }
                }
                float loss = runner.step(Map.of(ShapesClassifierNet.IMAGE, new FloatTensor(b.images().shape(), x),
                        TARGETS, targets(b.labels()))).loss();
                if (!Float.isFinite(loss)) {
                    throw new IllegalStateException("shapes classifier loss became " + loss + " at step " + (s + 1));
                }
            }
            return runner.exportInference(Map.of("sfd.recipe", recipe.toJson()));
        }
    }

    /**
     * Fraction of {@code n} held-out real images (seeds from {@link #HELD_OUT_FIRST_SEED}, never
     * trained on) whose colour AND shape are both predicted correctly.
     */
    public static double heldOutAccuracy(OnnxModel model, int n, SessionConfig session) {
        long[] seeds = new long[n];
        for (int i = 0; i < n; i++) {
            seeds[i] = HELD_OUT_FIRST_SEED + i;
        }
        ShapesBatch b = ShapesDataset.batch(seeds);
        try (ShapesClassifier c = ShapesClassifier.open(model, session)) {
            ShapesClassifier.Predictions p = c.classify(b.images());
            int correct = 0;
            for (int i = 0; i < n; i++) {
                ShapeLabel l = b.labels().get(i);
                correct += p.colours()[i] == l.colour().ordinal() && p.shapes()[i] == l.shape().ordinal() ? 1 : 0;
            }
            return (double) correct / n;
        }
    }

    /** One-hot colour (4) ⊕ one-hot shape (4) per image. */
    static FloatTensor targets(List<ShapeLabel> labels) {
        float[] t = new float[labels.size() * 8];
        for (int i = 0; i < labels.size(); i++) {
            t[i * 8 + labels.get(i).colour().ordinal()] = 1;
            t[i * 8 + 4 + labels.get(i).shape().ordinal()] = 1;
        }
        return new FloatTensor(new long[] {labels.size(), 8}, t);
    }

    /** L = −(1/B)·Σ_b [onehot_colour·LogSoftmax(logits[:, 0:4]) + onehot_shape·LogSoftmax(logits[:, 4:8])]. */
    static Loss crossEntropy() {
        return (g, logits) -> {
            String target = g.input(TARGETS, -1, 8);
            String[] heads = g.split(logits, 1, 4, 4);
            String logProbs = g.concat(1,
                    g.op("LogSoftmax", List.of(heads[0]), Attrs.i("axis", 1)),
                    g.op("LogSoftmax", List.of(heads[1]), Attrs.i("axis", 1)));
            return g.neg(g.reduceMean(g.reduceSum(g.mul(logProbs, target), false, 1), false));
        };
    }
}
