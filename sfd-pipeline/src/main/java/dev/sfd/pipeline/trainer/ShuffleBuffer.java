package dev.sfd.pipeline.trainer;

import dev.sfd.core.random.SplitMix64;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Mixes trajectories across blocks before batching: one block is one prompt, and batches of one
 * prompt train a worse student than mixed ones. Rows are grouped by step count N; once a group
 * holds {@code window} rows a batch of {@code batch} is drawn from it at random (SplitMix64 from a
 * recorded seed; its state is saved with checkpoints). Memory is bounded by {@code window} rows per
 * N (rows reference their block's points, nothing is copied). Not thread-safe.
 */
final class ShuffleBuffer {

    private final int batch;
    private final int window;
    private SplitMix64 random;
    private final Map<Integer, List<TrainingRow>> groups = new TreeMap<>();
    private int size;

    ShuffleBuffer(int batch, int window, long seed) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        if (window < batch) {
            throw new IllegalArgumentException("shuffle window " + window + " (sfd.trainer.shuffle-window) is smaller "
                    + "than the batch " + batch + " (sfd.trainer.batch); make it at least one batch, e.g. 8 batches");
        }
        this.batch = batch;
        this.window = window;
        this.random = new SplitMix64(seed);
    }

    /** Adds one row; returns a random batch of its N when that group is full. */
    Optional<List<TrainingRow>> add(TrainingRow item) {
        List<TrainingRow> group = groups.computeIfAbsent(item.block().steps(), n -> new ArrayList<>());
        int at = Collections.binarySearch(group, item);
        group.add(at < 0 ? -at - 1 : at, item);
        size++;
        return group.size() >= window ? Optional.of(draw(group, batch)) : Optional.empty();
    }

    /** Every remaining row as random batches (the end of a pass or of the input). */
    List<List<TrainingRow>> drain() {
        List<List<TrainingRow>> out = new ArrayList<>();
        for (List<TrainingRow> group : groups.values()) {
            while (!group.isEmpty()) {
                out.add(draw(group, Math.min(batch, group.size())));
            }
        }
        return out;
    }

    int size() {
        return size;
    }

    long randomState() {
        return random.state();
    }

    void restoreRandom(long state) {
        random = new SplitMix64(state);
    }

    /**
     * Removes {@code n} random rows from {@code group}. The group is kept sorted by origin, so a draw
     * depends only on which rows are buffered and on the random state: a resumed trainer that
     * re-reads the same records draws the same batches.
     */
    private List<TrainingRow> draw(List<TrainingRow> group, int n) {
        List<TrainingRow> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int j = (int) Math.floorMod(random.nextLong(), (long) group.size());
            out.add(group.remove(j));
        }
        size -= n;
        return out;
    }
}
