package dev.sfd.pipeline.teacher;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Cuts the next teacher call out of the prompts in hand: the step count N is the oldest unfinished
 * prompt's smallest pending N; the batch takes that prompt's samples with N first, then the same N
 * from the next prompts in arrival order, up to the batch size. So many small prompts share one
 * teacher call, and the oldest prompt is always served first.
 */
public final class BatchPlanner {

    private final int batchSize;

    public BatchPlanner(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The step count the next batch would have, if any prompt has work left. */
    public OptionalInt nextStepCount(List<PromptPlan> plans) {
        for (PromptPlan p : plans) {
            OptionalInt n = p.firstPendingStepCount();
            if (n.isPresent()) {
                return n;
            }
        }
        return OptionalInt.empty();
    }

    /** Samples available for the next batch (capped at the batch size). */
    public int available(List<PromptPlan> plans) {
        OptionalInt n = nextStepCount(plans);
        if (n.isEmpty()) {
            return 0;
        }
        long sum = 0;
        for (PromptPlan p : plans) {
            sum += p.remaining(n.getAsInt());
            if (sum >= batchSize) {
                return batchSize;
            }
        }
        return (int) sum;
    }

    /** Takes the next batch out of {@code plans} (in arrival order), or empty when all are done. */
    public Optional<JobBatch> next(List<PromptPlan> plans) {
        OptionalInt n = nextStepCount(plans);
        if (n.isEmpty()) {
            return Optional.empty();
        }
        List<SampleJob> jobs = new ArrayList<>();
        int room = batchSize;
        for (PromptPlan p : plans) {
            if (room == 0) {
                break;
            }
            SampleJob job = p.take(n.getAsInt(), room);
            if (job != null) {
                jobs.add(job);
                room -= job.size();
            }
        }
        return Optional.of(new JobBatch(n.getAsInt(), jobs));
    }
}
