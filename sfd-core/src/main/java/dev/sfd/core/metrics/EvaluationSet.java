package dev.sfd.core.metrics;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.prompt.PromptCondition;
import dev.sfd.core.prompt.PromptTokenizer;
import dev.sfd.core.teachers.ShapesLabels;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fixed evaluation seeds and prompts of a data set, so every sampler compared sees exactly the
 * same initial noise and conditions. Sample i uses {@code seeds[i]} and {@code prompts[i]}.
 *
 * @param dataset {@code mixture2d} or {@code shapes}
 * @param seeds   one seed per sample
 * @param labels  the class label of each sample (−1 = ∅)
 * @param prompts the prompt text of each sample
 */
public record EvaluationSet(String dataset, long[] seeds, int[] labels, List<String> prompts) {

    /** First evaluation seed; far from training and test seeds. */
    public static final long FIRST_SEED = 1_000_000_000L;

    /** The shapes evaluation prompts: full prompts, colour-only and shape-only ones. */
    public static final List<String> SHAPES_PROMPTS = List.of("a red circle", "a green square", "a blue triangle",
            "a yellow ring", "a blue circle", "a red square", "red", "triangle");

    private static final String[] MIXTURE_COLOURS = {"red", "orange", "yellow", "green", "cyan", "blue", "purple", "pink"};

    public EvaluationSet {
        seeds = seeds.clone();
        labels = labels.clone();
        prompts = List.copyOf(prompts);
        if (seeds.length != labels.length || seeds.length != prompts.size()) {
            throw new IllegalArgumentException("evaluation set '" + dataset + "': " + seeds.length + " seeds, "
                    + labels.length + " labels and " + prompts.size() + " prompts");
        }
    }

    /** n samples, the 8 modes in turn (balanced, so the conditional samples follow p₀). */
    public static EvaluationSet mixture2d(int n) {
        long[] seeds = new long[n];
        int[] labels = new int[n];
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            seeds[i] = FIRST_SEED + i;
            labels[i] = i % MIXTURE_COLOURS.length;
            prompts.add("a " + MIXTURE_COLOURS[labels[i]] + " dot");
        }
        return new EvaluationSet("mixture2d", seeds, labels, prompts);
    }

    /** {@code seedsPerPrompt} samples of each of the first {@code promptCount} {@link #SHAPES_PROMPTS}, prompt-major. */
    public static EvaluationSet shapes(int promptCount, int seedsPerPrompt) {
        if (promptCount < 1 || promptCount > SHAPES_PROMPTS.size() || seedsPerPrompt < 1) {
            throw new IllegalArgumentException("shapes evaluation needs 1.." + SHAPES_PROMPTS.size()
                    + " prompts and >= 1 seed each, got " + promptCount + " × " + seedsPerPrompt);
        }
        int n = promptCount * seedsPerPrompt;
        long[] seeds = new long[n];
        int[] labels = new int[n];
        List<String> prompts = new ArrayList<>();
        for (int p = 0; p < promptCount; p++) {
            PromptCondition c = PromptTokenizer.parse(SHAPES_PROMPTS.get(p));
            for (int s = 0; s < seedsPerPrompt; s++) {
                int i = p * seedsPerPrompt + s;
                seeds[i] = FIRST_SEED + s;
                labels[i] = ShapesLabels.of(c);
                prompts.add(SHAPES_PROMPTS.get(p));
            }
        }
        return new EvaluationSet("shapes", seeds, labels, prompts);
    }

    public int size() {
        return seeds.length;
    }

    public Condition condition() {
        return Condition.labels(labels);
    }

    /** Runs {@code sampler} on these seeds and conditions, in batches of {@code batch}. */
    public FloatTensor run(SeededSampler sampler, int batch) {
        List<FloatTensor> parts = new ArrayList<>();
        for (int from = 0; from < seeds.length; from += batch) {
            int to = Math.min(seeds.length, from + batch);
            parts.add(sampler.sample(Arrays.copyOfRange(seeds, from, to),
                    Condition.labels(Arrays.copyOfRange(labels, from, to))));
        }
        return FloatTensor.concat(parts);
    }
}
