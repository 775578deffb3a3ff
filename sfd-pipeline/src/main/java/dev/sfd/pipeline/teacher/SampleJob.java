package dev.sfd.pipeline.teacher;

/**
 * Some samples of one prompt with one step count N: sample indices {@code indices}, seeds
 * {@code firstSeed + index}. The unit the planner hands to a batch.
 */
public record SampleJob(ValidatedPrompt prompt, int stepCount, int[] indices) {

    public SampleJob {
        indices = indices.clone();
        for (int i : indices) {
            if (prompt.stepCount(i) != stepCount) {
                throw new IllegalArgumentException("sample " + i + " of prompt " + prompt.id() + " has N = "
                        + prompt.stepCount(i) + ", not " + stepCount);
            }
        }
    }

    public int size() {
        return indices.length;
    }

    @Override
    public int[] indices() {
        return indices.clone();
    }

    public int index(int j) {
        return indices[j];
    }

    public long seed(int j) {
        return prompt.seed(indices[j]);
    }

    public String trajectoryId(int j) {
        return TrajectoryIds.of(prompt.id(), indices[j], seed(j));
    }
}
