package dev.sfd.core.teachers;

import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.training.AdamConfig;
import dev.sfd.core.training.LearningRateSchedule;
import dev.sfd.core.training.StepResult;
import dev.sfd.core.training.TrainingRunner;
import dev.sfd.core.training.WeightedL2Loss;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Pretrains a built-in teacher with the denoising loss (SFD.md eq. 1) on {@link TrainingRunner}:
 * each step draws clean samples x₀ with labels (condition dropout for CFG), σ from EDM's
 * log-normal (ln σ ~ N(P_mean, P_std²), clamped to [t_min, t_max]), ε ~ N(0, I), and minimises
 * the mean over the batch of λ(σ)/D·‖ε_θ(x₀ + σε, σ, c) − ε‖² with EDM's λ (see
 * {@link EdmPreconditioning#epsilonLossWeight}); D = elements per sample, so the loss is a
 * per-element mean. Everything random comes from the recipe's seed.
 */
public final class TeacherPretrainer {

    /** Training-graph input holding the ε targets. */
    public static final String TARGET = "eps_target";
    /** Training-graph input holding the per-sample loss weights λ(σ)/D. */
    public static final String WEIGHT = "loss_weight";

    /**
     * @param model      the trained teacher with its contract metadata
     * @param recipe     the recipe it was trained with
     * @param firstLoss  mean loss of the first {@link #WINDOW} steps
     * @param finalLoss  mean loss of the last {@link #WINDOW} steps
     * @param seconds    wall-clock training time
     * @param samplesPerSecond training throughput
     */
    public record Result(OnnxModel model, TeacherRecipe recipe, double firstLoss, double finalLoss, double seconds,
            double samplesPerSecond) {
    }

    /** Steps averaged for {@link Result#firstLoss()} and {@link Result#finalLoss()}. */
    public static final int WINDOW = 50;

    /** Steps between EMA updates. */
    static final int EMA_EVERY = 5;

    private TeacherPretrainer() {
    }

    /**
     * A teacher part-way through training, handed to a {@link SnapshotSink}.
     *
     * @param step  optimiser steps taken
     * @param model the exported weights (the EMA once it has started), with the contract metadata
     */
    public record Snapshot(long step, OnnxModel model) {
    }

    /** Receives {@link Snapshot}s every few steps, e.g. to evaluate or keep them while a long run goes on. */
    @FunctionalInterface
    public interface SnapshotSink {
        void accept(Snapshot snapshot);
    }

    /** Trains the teacher of {@code recipe}; {@code progress} shows a console progress bar on stderr. */
    public static Result train(TeacherRecipe recipe, SessionConfig session, boolean progress) {
        return train(recipe, session, progress, 0, null);
    }

    /**
     * As {@link #train(TeacherRecipe, SessionConfig, boolean)}, and every {@code snapshotEvery} steps
     * (0 = never) hands the current weights to {@code sink} (the final weights come back in the result).
     */
    public static Result train(TeacherRecipe recipe, SessionConfig session, boolean progress, int snapshotEvery,
            SnapshotSink sink) {
        TeacherData data = TeacherDatasets.of(recipe.dataset());
        OnnxModel net = data.network(recipe);
        int sampleRank = data.sampleShape().length;
        int perSample = elementsPerSample(data);
        SplitMix64 rng = new SplitMix64(recipe.seed() ^ 0x5EEDL);
        int window = Math.min(WINDOW, Math.max(1, recipe.steps() / 4));
        double firstSum = 0;
        double lastSum = 0;
        double[] recent = new double[window];
        ParameterEma ema = recipe.emaHalfLife() > 0 ? new ParameterEma(recipe.emaHalfLife(), EMA_EVERY) : null;
        long start = System.nanoTime();
        try (TrainingRunner runner = TrainingRunner.builder(net, TeacherMetadata.EPS)
                .loss(new WeightedL2Loss(TARGET, WEIGHT, sampleRank + 1))
                .adam(AdamConfig.defaults())
                .schedule(LearningRateSchedule.constantThenDrop(recipe.learningRate(), recipe.lrDropStep(), 0.1))
                .session(session)
                .build();
             ProgressBar bar = progress ? bar(recipe) : null) {
            for (int s = 0; s < recipe.steps(); s++) {
                StepResult r = runner.step(batch(data, recipe, rng, perSample));
                if (!Float.isFinite(r.loss())) {
                    throw new IllegalStateException("teacher '" + recipe.dataset() + "' loss became " + r.loss()
                            + " at step " + r.step() + " (recipe " + recipe.toJson() + ")");
                }
                if (ema != null && r.step() > recipe.steps() / 4) {
                    ema.update(r.step(), runner::parameters);
                }
                if (s < window) {
                    firstSum += r.loss();
                }
                recent[s % window] = r.loss();
                if (bar != null) {
                    double secs = (System.nanoTime() - start) / 1e9;
                    bar.step();
                    bar.setExtraMessage(String.format(" loss %.4f  %.0f samples/s", r.loss(),
                            (s + 1) * (double) recipe.batch() / secs));
                }
                if (sink != null && snapshotEvery > 0 && r.step() % snapshotEvery == 0 && r.step() < recipe.steps()) {
                    Map<String, String> meta = new LinkedHashMap<>(net.metadata());
                    meta.put("sfd.training.snapshot_step", Long.toString(r.step()));
                    sink.accept(new Snapshot(r.step(), export(runner, ema, recipe, meta)));
                }
            }
            for (double v : recent) {
                lastSum += v;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, String> meta = new LinkedHashMap<>(net.metadata());
            meta.put("sfd.training.seconds", String.format("%.1f", seconds));
            meta.put("sfd.training.final_loss", String.format("%.5f", lastSum / window));
            OnnxModel trained = export(runner, ema, recipe, meta);
            return new Result(trained, recipe, firstSum / window, lastSum / window, seconds,
                    recipe.steps() * (double) recipe.batch() / seconds);
        }
    }

    /** The runner's weights, or their EMA once it has started, as an inference model with {@code meta}. */
    private static OnnxModel export(TrainingRunner runner, ParameterEma ema, TeacherRecipe recipe,
            Map<String, String> meta) {
        boolean averaged = ema != null && !ema.isEmpty();
        meta.put("sfd.training.weights", averaged
                ? "ema(half-life " + recipe.emaHalfLife() + " steps, from step " + recipe.steps() / 4 + ")" : "last");
        OnnxModel model = runner.exportInference(meta);
        return averaged ? model.withParameterValues(ema.values()) : model;
    }

    /**
     * One training batch of {@code recipe} drawn from {@code seed} exactly as the pretrainer draws its
     * batches (inputs {@link TeacherMetadata#X}, {@link TeacherMetadata#T}, {@link TeacherMetadata#COND},
     * {@link #TARGET}, {@link #WEIGHT}), e.g. for benchmarking the pretraining step.
     */
    public static Map<String, Object> trainingBatch(TeacherRecipe recipe, long seed) {
        TeacherData data = TeacherDatasets.of(recipe.dataset());
        return batch(data, recipe, new SplitMix64(seed), elementsPerSample(data));
    }

    private static int elementsPerSample(TeacherData data) {
        int n = 1;
        for (long d : data.sampleShape()) {
            n *= (int) d;
        }
        return n;
    }

    /** One training batch: x = x₀ + σε, t = σ, cond, target ε and weight λ(σ)/D. */
    static Map<String, Object> batch(TeacherData data, TeacherRecipe recipe, SplitMix64 rng, int perSample) {
        int n = recipe.batch();
        TeacherData.Batch clean = data.draw(n, rng, recipe.conditionDropout());
        float[] x = clean.x0().data().clone();
        float[] eps = new float[x.length];
        float[] t = new float[n];
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            double sigma = Math.exp(recipe.pMean() + recipe.pStd() * rng.nextGaussian()); // ln σ ~ N(P_mean, P_std²)
            sigma = Math.min(recipe.tMax(), Math.max(recipe.tMin(), sigma));
            t[i] = (float) sigma;
            w[i] = (float) (EdmPreconditioning.epsilonLossWeight(sigma, recipe.sigmaData()) / perSample);
            for (int j = i * perSample; j < (i + 1) * perSample; j++) {
                eps[j] = (float) rng.nextGaussian();
                x[j] += (float) sigma * eps[j];                                            // x_t = x₀ + σε
            }
        }
        Map<String, Object> feed = new HashMap<>();
        feed.put(TeacherMetadata.X, new FloatTensor(clean.x0().shape().clone(), x));
        feed.put(TeacherMetadata.T, new FloatTensor(new long[] {n}, t));
        feed.put(TeacherMetadata.COND, clean.labels());
        feed.put(TARGET, new FloatTensor(clean.x0().shape().clone(), eps));
        feed.put(WEIGHT, new FloatTensor(new long[] {n}, w));
        return feed;
    }

    private static ProgressBar bar(TeacherRecipe recipe) {
        return new ProgressBarBuilder().setTaskName("teacher " + recipe.dataset()).setInitialMax(recipe.steps())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
    }
}
