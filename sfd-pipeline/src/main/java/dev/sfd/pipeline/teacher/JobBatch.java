package dev.sfd.pipeline.teacher;

import java.util.List;

/** One teacher call: jobs of one step count N, possibly from several prompts, in batch order. */
public record JobBatch(int stepCount, List<SampleJob> jobs) {

    public JobBatch {
        jobs = List.copyOf(jobs);
        if (jobs.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one job");
        }
        for (SampleJob j : jobs) {
            if (j.stepCount() != stepCount) {
                throw new IllegalArgumentException("cannot batch N = " + j.stepCount() + " with N = " + stepCount);
            }
        }
    }

    /** Samples in the batch. */
    public int size() {
        return jobs.stream().mapToInt(SampleJob::size).sum();
    }

    /** Seeds in batch order. */
    public long[] seeds() {
        long[] s = new long[size()];
        int i = 0;
        for (SampleJob j : jobs) {
            for (int k = 0; k < j.size(); k++) {
                s[i++] = j.seed(k);
            }
        }
        return s;
    }

    /** The prompts' texts in batch order (what a text encoder conditions each row on). */
    public List<String> texts() {
        List<String> t = new java.util.ArrayList<>(size());
        for (SampleJob j : jobs) {
            for (int k = 0; k < j.size(); k++) {
                t.add(j.prompt().text());
            }
        }
        return t;
    }

    /** Class labels in batch order (−1 = ∅). */
    public int[] labels() {
        int[] l = new int[size()];
        int i = 0;
        for (SampleJob j : jobs) {
            for (int k = 0; k < j.size(); k++) {
                l[i++] = j.prompt().label();
            }
        }
        return l;
    }
}
