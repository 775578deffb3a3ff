package dev.sfd.core.trajectory;

import static dev.sfd.core.trajectory.TrajectoryAssemblyException.Reason.ABANDONED;
import static dev.sfd.core.trajectory.TrajectoryAssemblyException.Reason.ALREADY_COMPLETE;
import static dev.sfd.core.trajectory.TrajectoryAssemblyException.Reason.DUPLICATE_SEGMENT;
import static dev.sfd.core.trajectory.TrajectoryAssemblyException.Reason.INDEX_OUT_OF_RANGE;
import static dev.sfd.core.trajectory.TrajectoryAssemblyException.Reason.SHAPE_MISMATCH;
import static dev.sfd.core.trajectory.TrajectoryAssemblyException.Reason.TIMESTAMP_MISMATCH;
import static dev.sfd.core.trajectory.TrajectoryAssemblyException.Reason.TOTAL_MISMATCH;

import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Collects decoded segments, in any order and interleaved across trajectories, and hands out each
 * trajectory once all its segments have arrived.
 *
 * <p>A segment that does not fit is refused with a {@link TrajectoryAssemblyException} and leaves
 * the state unchanged: a repeated index, an index or segment count that contradicts earlier
 * segments, a timestamp that differs from the header's t_n, or a shape that differs from the
 * other points. One exception: if the header arrives after other segments and contradicts one
 * of them, the whole trajectory is abandoned (which segment is wrong cannot be known).
 *
 * <p>Ids of the last {@code rememberClosed} completed or abandoned trajectories are remembered,
 * so that late redeliveries are refused rather than starting a trajectory that never completes.
 * Incomplete trajectories stay pending until they complete or the caller {@link #abandon}s them
 * (e.g. after a timeout): the assembler holds no timers. Not thread-safe: use one per consumer
 * thread (segments of one trajectory share a key, hence a partition, hence a consumer).
 */
public final class TrajectoryAssembler {

    /** Default number of closed trajectory ids remembered. */
    public static final int DEFAULT_REMEMBER_CLOSED = 10_000;

    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private final Map<String, String> closed;

    public TrajectoryAssembler() {
        this(DEFAULT_REMEMBER_CLOSED);
    }

    /** @param rememberClosed how many completed/abandoned ids to remember (oldest forgotten first) */
    public TrajectoryAssembler(int rememberClosed) {
        if (rememberClosed < 0) {
            throw new IllegalArgumentException("rememberClosed must be >= 0, got " + rememberClosed);
        }
        this.closed = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > rememberClosed;
            }
        };
    }

    /**
     * Adds a segment.
     *
     * @return the complete trajectory if this was its last missing segment, otherwise empty
     * @throws TrajectoryAssemblyException if the segment does not fit (state unchanged unless the
     *                                     message says the trajectory was abandoned)
     */
    public Optional<Trajectory> accept(TrajectorySegment segment) throws TrajectoryAssemblyException {
        String id = segment.trajectoryId();
        int index = segment.segmentIndex();
        String closedAs = closed.get(id);
        if (closedAs != null) {
            throw new TrajectoryAssemblyException(closedAs.equals("completed") ? ALREADY_COMPLETE : ABANDONED, id,
                    "segment " + index + " arrived after the trajectory was " + closedAs);
        }
        Pending p = pending.get(id);
        if (p == null) {
            p = new Pending(segment.totalSegments());
        } else {
            check(p, segment);
        }

        if (segment.header() != null) {
            p.slots[index] = segment; // tentatively, so the check below sees it
            String conflict = p.firstConflictWithHeader(segment.header());
            if (conflict != null) {
                pending.remove(id);
                closed.put(id, "abandoned (" + conflict + ")");
                throw new TrajectoryAssemblyException(TIMESTAMP_MISMATCH, id, conflict
                        + "; the header came after that segment, so the whole trajectory is abandoned");
            }
        } else {
            p.slots[index] = segment;
        }
        p.received++;
        pending.putIfAbsent(id, p);

        if (p.received < p.slots.length) {
            return Optional.empty();
        }
        pending.remove(id);
        closed.put(id, "completed");
        List<FloatTensor> points = new ArrayList<>(p.slots.length);
        for (TrajectorySegment s : p.slots) {
            points.add(s.tensor());
        }
        return Optional.of(new Trajectory(p.slots[0].header(), points));
    }

    /** Drops a pending trajectory (e.g. timed out); later segments for it are refused. */
    public boolean abandon(String trajectoryId, String why) {
        boolean was = pending.remove(trajectoryId) != null;
        closed.put(trajectoryId, "abandoned (" + why + ")");
        return was;
    }

    /** Ids of incomplete trajectories, oldest first. */
    public Set<String> pendingIds() {
        return Set.copyOf(pending.keySet());
    }

    public int pendingCount() {
        return pending.size();
    }

    /** Checks a segment against the segments already pending for its trajectory. */
    private static void check(Pending p, TrajectorySegment s) throws TrajectoryAssemblyException {
        String id = s.trajectoryId();
        int index = s.segmentIndex();
        if (index >= p.slots.length) {
            throw new TrajectoryAssemblyException(INDEX_OUT_OF_RANGE, id, "segment index " + index
                    + " but earlier segments say there are " + p.slots.length + " (indices 0.." + (p.slots.length - 1) + ")");
        }
        if (s.totalSegments() != p.slots.length) {
            throw new TrajectoryAssemblyException(TOTAL_MISMATCH, id, "segment " + index + " says " + s.totalSegments()
                    + " segments, earlier segments say " + p.slots.length);
        }
        if (p.slots[index] != null) {
            boolean same = p.slots[index].equals(s);
            throw new TrajectoryAssemblyException(DUPLICATE_SEGMENT, id, "segment " + index + " of " + p.slots.length
                    + " arrived twice (" + (same ? "identical copy" : "with different content") + ")");
        }
        FloatTensor reference = p.anyTensor();
        if (reference != null && !Arrays.equals(reference.shape(), s.tensor().shape())) {
            throw new TrajectoryAssemblyException(SHAPE_MISMATCH, id, "segment " + index + " has shape "
                    + s.tensor().shapeString() + ", other segments " + reference.shapeString());
        }
        TrajectoryHeader header = p.slots[0] == null ? null : p.slots[0].header();
        if (header != null && header.timestamps().get(index) != s.timestamp()) {
            throw new TrajectoryAssemblyException(TIMESTAMP_MISMATCH, id, "segment " + index + " (step " + s.step()
                    + ") has t = " + s.timestamp() + ", the header says t_" + s.step() + " = " + header.timestamps().get(index));
        }
    }

    /** The segments received so far for one trajectory, by index. */
    private static final class Pending {
        final TrajectorySegment[] slots;
        int received;

        Pending(int total) {
            slots = new TrajectorySegment[total];
        }

        FloatTensor anyTensor() {
            for (TrajectorySegment s : slots) {
                if (s != null) {
                    return s.tensor();
                }
            }
            return null;
        }

        /** A description of the first buffered segment whose timestamp contradicts the header, or null. */
        String firstConflictWithHeader(TrajectoryHeader header) {
            for (int i = 1; i < slots.length; i++) {
                if (slots[i] != null && slots[i].timestamp() != header.timestamps().get(i)) {
                    return "segment " + i + " has t = " + slots[i].timestamp() + ", the header says t_"
                            + slots[i].step() + " = " + header.timestamps().get(i);
                }
            }
            return null;
        }
    }
}
