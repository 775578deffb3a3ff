package dev.sfd.pipeline.trainer;

import dev.sfd.core.trajectory.TrajectoryBlock;

/**
 * One trajectory waiting to be trained: row {@code row} of {@code block}. {@code hold} is the
 * record it came from (null for a row replayed from the local block cache), released once all its
 * rows are trained or dropped. {@code order} sorts rows by where they came from, so shuffle draws
 * do not depend on how partitions interleaved.
 */
public record TrainingRow(TrajectoryBlock block, int row, BlockHold hold, long order)
        implements Comparable<TrainingRow> {

    /** Row {@code row} of {@code block}, outside any record bookkeeping (in-process training, benchmarks). */
    public static TrainingRow of(TrajectoryBlock block, int row) {
        return new TrainingRow(block, row, null, 0);
    }

    String promptId() {
        return block.promptId();
    }

    int sampleIndex() {
        return block.sampleIndex()[row];
    }

    long seed() {
        return block.seed()[row];
    }

    @Override
    public int compareTo(TrainingRow o) {
        int c = Long.compare(order, o.order);
        return c != 0 ? c : Integer.compare(row, o.row);
    }
}
