package dev.sfd.pipeline.teacher;

import dev.sfd.core.prompt.PromptRequest;
import java.util.List;

/**
 * A prompt record that passed every check: the request, the teacher's class label for its text
 * (−1 = ∅), the step counts N its trajectories are made for and the seed of sample 0.
 */
public record ValidatedPrompt(PromptRequest request, int label, List<Integer> stepCounts, long firstSeed) {

    public ValidatedPrompt {
        stepCounts = List.copyOf(stepCounts);
        if (stepCounts.isEmpty()) {
            throw new IllegalArgumentException("prompt " + request.id() + " has no step counts");
        }
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
