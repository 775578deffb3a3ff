package dev.sfd.pipeline.teacher;

import dev.sfd.core.prompt.PromptRequest;
import java.util.List;

/**
 * A prompt record that passed every check: the request, the teacher's class label for its text
 * (−1 = ∅), the step counts N its trajectories are made for and the seed of sample 0. For a
 * text-to-image teacher also the text the text encoder gets ({@code ""} = unconditional), the
 * {@code condition_ref} of its tokens ({@link dev.sfd.core.teachers.imports.text2image.ConditionRef}) and
 * whether the tokenizer cut it to its max length; {@code ""} and false for other teachers.
 */
public record ValidatedPrompt(PromptRequest request, int label, List<Integer> stepCounts, long firstSeed,
                              String text, String conditionRef, boolean truncated) {

    public ValidatedPrompt {
        stepCounts = List.copyOf(stepCounts);
        if (stepCounts.isEmpty()) {
            throw new IllegalArgumentException("prompt " + request.id() + " has no step counts");
        }
    }

    /** A prompt of a label-conditioned (or unconditional) teacher: its text as sent, no condition reference. */
    public ValidatedPrompt(PromptRequest request, int label, List<Integer> stepCounts, long firstSeed) {
        this(request, label, stepCounts, firstSeed, request.prompt(), "", false);
    }

    public String id() {
        return request.id();
    }

    public int count() {
        return request.count();
    }

    /** Seed of sample {@code index}: first seed + index. */
    public long seed(int index) {
        return firstSeed + index;
    }

    /** Step count N of sample {@code index}: the step counts taken in turn (index mod their number). */
    public int stepCount(int index) {
        return stepCounts.get(index % stepCounts.size());
    }
}
