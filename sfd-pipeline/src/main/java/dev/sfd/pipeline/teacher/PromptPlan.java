package dev.sfd.pipeline.teacher;

import java.util.OptionalInt;

/**
 * The samples of one prompt still to generate, per step count. Sample i has step count
 * {@code stepCounts[i mod S]} and seed {@code firstSeed + i} (see {@link ValidatedPrompt}), so
 * what a sample is never depends on how it is batched. Jobs are cut lazily: nothing of a 4096-sample
 * prompt exists before its turn comes.
 */
public final class PromptPlan {

    private final ValidatedPrompt prompt;
    private final int[] next; // per step-count slot j: the next sample index with that N
    private int remaining;

    public PromptPlan(ValidatedPrompt prompt) {
        this.prompt = prompt;
        int s = prompt.stepCounts().size();
        this.next = new int[s];
        for (int j = 0; j < s; j++) {
            next[j] = j;
        }
        this.remaining = prompt.count();
    }

    public ValidatedPrompt prompt() {
        return prompt;
    }

    /** True when every sample has been handed out. */
    public boolean done() {
        return remaining == 0;
    }

    /** Samples not handed out yet. */
    public int remaining() {
        return remaining;
    }

    /** The smallest step count with samples left, if any. */
    public OptionalInt firstPendingStepCount() {
        for (int j = 0; j < next.length; j++) {
            if (next[j] < prompt.count()) {
                return OptionalInt.of(prompt.stepCounts().get(j));
            }
        }
        return OptionalInt.empty();
    }

    /** Samples left with step count {@code n}. */
    public int remaining(int n) {
        int j = prompt.stepCounts().indexOf(n);
        if (j < 0 || next[j] >= prompt.count()) {
            return 0;
        }
        int s = next.length;
        return (prompt.count() - next[j] + s - 1) / s;
    }

    /** Hands out up to {@code max} samples with step count {@code n}; null when none is left. */
    public SampleJob take(int n, int max) {
        int take = Math.min(max, remaining(n));
        if (take <= 0) {
            return null;
        }
        int j = prompt.stepCounts().indexOf(n);
        int s = next.length;
        int[] indices = new int[take];
        for (int i = 0; i < take; i++) {
            indices[i] = next[j];
            next[j] += s;
        }
        remaining -= take;
        return new SampleJob(prompt, n, indices);
    }
}
