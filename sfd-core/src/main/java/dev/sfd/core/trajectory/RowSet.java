package dev.sfd.core.trajectory;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of trajectories named by (prompt id, sample index, seed), kept as one bit set of sample
 * indices per (prompt id, seed − index) and written as index ranges: a prompt whose trajectories
 * are all in the set is one range however many it has. The student trainer keeps the trajectories
 * it applied in one (saved with each checkpoint, {@link #toRanges()}) and drops rows of later
 * blocks that are already in it; the window of remembered trajectories is therefore the whole pass,
 * not a fixed count.
 *
 * <p>Range text: {@code <from>-<to>~<seedOffset>:<prompt id>} (indices from..to inclusive, seed =
 * index + seedOffset), e.g. {@code 0-4095~42:p-1}. Not thread-safe.
 */
public final class RowSet {

    private record Key(String promptId, long seedOffset) {
    }

    private final Map<Key, BitSet> rows = new LinkedHashMap<>();
    private long size;

    /** Adds a trajectory; returns false if it was already in the set. */
    public boolean add(String promptId, int index, long seed) {
        BitSet b = rows.computeIfAbsent(new Key(promptId, seed - index), k -> new BitSet());
        if (b.get(index)) {
            return false;
        }
        b.set(index);
        size++;
        return true;
    }

    public boolean contains(String promptId, int index, long seed) {
        BitSet b = rows.get(new Key(promptId, seed - index));
        return b != null && b.get(index);
    }

    /** Removes a trajectory (e.g. a buffered row once trained); returns false if it was absent. */
    public boolean remove(String promptId, int index, long seed) {
        Key key = new Key(promptId, seed - index);
        BitSet b = rows.get(key);
        if (b == null || !b.get(index)) {
            return false;
        }
        b.clear(index);
        size--;
        if (b.isEmpty()) {
            rows.remove(key);
        }
        return true;
    }

    /** Adds every trajectory of {@code other}. */
    public void addAll(RowSet other) {
        other.rows.forEach((k, b) -> {
            BitSet mine = rows.computeIfAbsent(k, x -> new BitSet());
            int before = mine.cardinality();
            mine.or(b);
            size += mine.cardinality() - before;
        });
    }

    /** Trajectories in the set. */
    public long size() {
        return size;
    }

    public void clear() {
        rows.clear();
        size = 0;
    }

    /** The set as range texts, in first-added prompt order. */
    public List<String> toRanges() {
        List<String> out = new ArrayList<>();
        rows.forEach((k, b) -> {
            for (int from = b.nextSetBit(0); from >= 0; ) {
                int to = b.nextClearBit(from) - 1;
                out.add(from + "-" + to + "~" + k.seedOffset() + ":" + k.promptId());
                from = to == Integer.MAX_VALUE - 1 ? -1 : b.nextSetBit(to + 1);
            }
        });
        return out;
    }

    /** Parses range texts written by {@link #toRanges()}. */
    public static RowSet fromRanges(List<String> ranges) {
        RowSet s = new RowSet();
        for (String r : ranges) {
            int dash = r.indexOf('-');
            int tilde = r.indexOf('~');
            int colon = tilde < 0 ? -1 : r.indexOf(':', tilde);
            if (dash < 1 || tilde < dash || colon < 0) {
                throw new IllegalArgumentException("applied range '" + r + "' is not <from>-<to>~<seedOffset>:<prompt id>");
            }
            try {
                int from = Integer.parseInt(r.substring(0, dash));
                int to = Integer.parseInt(r.substring(dash + 1, tilde));
                long offset = Long.parseLong(r.substring(tilde + 1, colon));
                if (from < 0 || to < from) {
                    throw new IllegalArgumentException("applied range '" + r + "' has from > to or a negative index");
                }
                BitSet b = s.rows.computeIfAbsent(new Key(r.substring(colon + 1), offset), k -> new BitSet());
                int before = b.cardinality();
                b.set(from, to + 1);
                s.size += b.cardinality() - before;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("applied range '" + r + "' is not <from>-<to>~<seedOffset>:<prompt id>",
                        e);
            }
        }
        return s;
    }

    /** Every trajectory id {@code <prompt id>/<index>/<seed>} in the set (for tests and audits). */
    public List<String> trajectoryIds() {
        List<String> out = new ArrayList<>((int) Math.min(size, Integer.MAX_VALUE));
        rows.forEach((k, b) -> b.stream().forEach(i -> out.add(k.promptId() + "/" + i + "/" + (i + k.seedOffset()))));
        return out;
    }
}
