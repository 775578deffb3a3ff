package dev.sfd.pipeline.trainer;

import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Mixes trajectories before batching: the topic delivers a prompt's trajectories together, and
 * batches of one prompt train a worse student than mixed ones. Trajectories are grouped by step
 * count N; once a group holds {@code window} trajectories a batch of {@code batch} is drawn from
 * it at random (SplitMix64 from a recorded seed; its state is saved with checkpoints). Memory is
 * bounded by {@code window} trajectories per N. Not thread-safe.
 */
public final class ShuffleBuffer {

    /** A trajectory with the record positions it came from. */
    public record Item(Trajectory trajectory, List<RecordPosition> positions) {
        public Item {
            positions = List.copyOf(positions);
            if (positions.isEmpty()) {
                throw new IllegalArgumentException("trajectory " + trajectory.id() + " has no record positions");
            }
        }

        public String id() {
            return trajectory.id();
        }

        /** Where its first record sits: the buffer's sort key. */
        RecordPosition first() {
            return java.util.Collections.min(positions);
        }
    }

    private final int batch;
    private final int window;
    private SplitMix64 random;
    private final Map<Integer, List<Item>> groups = new TreeMap<>();

    public ShuffleBuffer(int batch, int window, long seed) {
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

    /** Adds one trajectory; returns a random batch of its N when that group is full. */
    public Optional<List<Item>> add(Item item) {
        List<Item> group = groups.computeIfAbsent(item.trajectory().steps(), n -> new ArrayList<>());
        int at = java.util.Collections.binarySearch(group, item, ORDER);
        group.add(at < 0 ? -at - 1 : at, item);
        return group.size() >= window ? Optional.of(draw(group, batch)) : Optional.empty();
    }

    /** Every remaining trajectory as random batches (the end of a pass or of the budget). */
    public List<List<Item>> drain() {
        List<List<Item>> out = new ArrayList<>();
        for (List<Item> group : groups.values()) {
            while (!group.isEmpty()) {
                out.add(draw(group, Math.min(batch, group.size())));
            }
        }
        return out;
    }

    public int size() {
        return groups.values().stream().mapToInt(List::size).sum();
    }

    /** The random generator's state (recorded in checkpoints). */
    public long randomState() {
        return random.state();
    }

    /** Continues the random sequence from a recorded state. */
    public void restoreRandom(long state) {
        random = new SplitMix64(state);
    }

    /**
     * Removes {@code size} random items from {@code group}. The group is kept sorted by record
     * position, so a draw depends only on which trajectories are buffered and on the random state,
     * not on the order in which partitions interleaved: a resumed trainer that re-reads the same
     * records draws the same batches.
     */
    private List<Item> draw(List<Item> group, int size) {
        List<Item> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            int j = (int) Math.floorMod(random.nextLong(), (long) group.size());
            out.add(group.remove(j));
        }
        return out;
    }

    private static final java.util.Comparator<Item> ORDER = java.util.Comparator.comparing(Item::first);
}
