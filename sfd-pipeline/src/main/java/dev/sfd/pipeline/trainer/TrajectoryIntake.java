package dev.sfd.pipeline.trainer;

import dev.sfd.core.trajectory.Trajectory;
import dev.sfd.core.trajectory.TrajectoryAssembler;
import dev.sfd.core.trajectory.TrajectoryAssemblyException;
import dev.sfd.core.trajectory.TrajectorySegment;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Validates records and reassembles trajectories with sfd-core's {@link TrajectoryAssembler},
 * remembering which record positions each pending trajectory holds. Memory is bounded: at most
 * {@code maxPending} incomplete trajectories; beyond that the oldest is given up. A trajectory
 * whose segments have not all arrived {@code timeoutNanos} after its first one is given up too.
 * Given-up trajectories are reported with their id and record positions (see {@link #expire}).
 * Time is passed in by the caller (nanoseconds of any monotonic clock). Not thread-safe.
 */
public final class TrajectoryIntake {

    /** What became of one record. */
    public sealed interface Outcome permits Rejected, Duplicate, Pending, Completed {
    }

    /** The record is refused (the dead-letter topic gets it with the reason). */
    public record Rejected(Rejection rejection) implements Outcome {
    }

    /**
     * A redelivered copy of a segment (at-least-once delivery): dropped, not an error. When
     * {@code held}, its position is kept with its still pending trajectory and released with it.
     */
    public record Duplicate(String trajectoryId, int segmentIndex, boolean held) implements Outcome {
    }

    /** The record is held until its trajectory completes. */
    public record Pending(String trajectoryId) implements Outcome {
    }

    /** The record completed its trajectory; {@code positions} are all records of that trajectory. */
    public record Completed(Trajectory trajectory, List<RecordPosition> positions) implements Outcome {
    }

    /** A trajectory given up (timeout or capacity), with the records it held. */
    public record GivenUp(String trajectoryId, String why, List<RecordPosition> positions) {
    }

    private final SegmentValidator validator;
    private final int rememberIds;
    private TrajectoryAssembler assembler;
    private final int maxPending;
    private final long timeoutNanos;
    private final Map<String, Holding> holdings = new LinkedHashMap<>(); // insertion order = oldest first

    private static final class Holding {
        final long since;
        final List<RecordPosition> positions = new ArrayList<>();

        Holding(long since) {
            this.since = since;
        }
    }

    /**
     * @param maxPending   incomplete trajectories held at most (bounded memory)
     * @param timeoutNanos how long a trajectory may stay incomplete after its first segment
     * @param rememberIds  ids of completed/abandoned trajectories remembered, so late copies of their
     *                     segments are refused rather than starting a trajectory that never completes
     */
    public TrajectoryIntake(SegmentValidator validator, int maxPending, long timeoutNanos, int rememberIds) {
        if (maxPending < 1) {
            throw new IllegalArgumentException("max pending trajectories must be >= 1, got " + maxPending);
        }
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("assembly timeout must be > 0, got " + timeoutNanos + " ns");
        }
        this.validator = validator;
        this.rememberIds = rememberIds;
        this.assembler = new TrajectoryAssembler(rememberIds);
        this.maxPending = maxPending;
        this.timeoutNanos = timeoutNanos;
    }

    /** Validates and assembles one record. Call {@link #expire} afterwards for what capacity gave up. */
    public Outcome offer(SegmentRecord record, long now) {
        TrajectorySegment segment;
        try {
            segment = validator.validate(record);
        } catch (SegmentRejectedException e) {
            return new Rejected(new Rejection(record.position(), e.code(), e.getMessage()));
        }
        Optional<Trajectory> done;
        try {
            done = assembler.accept(segment);
        } catch (TrajectoryAssemblyException e) {
            if (e.reason() == TrajectoryAssemblyException.Reason.ALREADY_COMPLETE
                    || (e.reason() == TrajectoryAssemblyException.Reason.DUPLICATE_SEGMENT
                    && e.getMessage().contains("identical copy"))) {
                Holding h = holdings.get(e.trajectoryId());
                if (h != null) {
                    h.positions.add(record.position()); // done when its trajectory is
                }
                return new Duplicate(e.trajectoryId(), segment.segmentIndex(), h != null);
            }
            if (e.getMessage().contains("abandoned")) { // the assembler dropped the whole trajectory
                Holding dropped = holdings.remove(e.trajectoryId());
                if (dropped != null) {
                    givenUp.add(new GivenUp(e.trajectoryId(), e.getMessage(), dropped.positions));
                }
            }
            return new Rejected(new Rejection(record.position(), e.reason().name(), "segment does not fit its "
                    + "trajectory: " + e.getMessage() + "; the producer sent it twice or inconsistently: check "
                    + "the teacher's output for trajectory " + e.trajectoryId()));
        }
        Holding h = holdings.computeIfAbsent(segment.trajectoryId(), id -> new Holding(now));
        h.positions.add(record.position());
        if (done.isPresent()) {
            holdings.remove(segment.trajectoryId());
            return new Completed(done.get(), List.copyOf(h.positions));
        }
        while (holdings.size() > maxPending) {
            String oldest = holdings.keySet().iterator().next();
            giveUp(oldest, "more than " + maxPending + " incomplete trajectories held (sfd.trainer.max-pending); "
                    + "the oldest is given up");
        }
        return new Pending(segment.trajectoryId());
    }

    private final List<GivenUp> givenUp = new ArrayList<>();

    /**
     * Gives up trajectories incomplete for longer than the timeout, and returns them together with
     * those given up since the last call for capacity or inconsistency.
     */
    public List<GivenUp> expire(long now) {
        for (Iterator<Map.Entry<String, Holding>> it = holdings.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Holding> e = it.next();
            if (now - e.getValue().since < timeoutNanos) {
                break; // the rest arrived later
            }
            it.remove();
            assembler.abandon(e.getKey(), "timed out");
            givenUp.add(new GivenUp(e.getKey(), "incomplete " + (now - e.getValue().since) / 1_000_000 + " ms after "
                    + "its first segment (timeout " + timeoutNanos / 1_000_000 + " ms, sfd.trainer.assembly-timeout)",
                    e.getValue().positions));
        }
        List<GivenUp> out = List.copyOf(givenUp);
        givenUp.clear();
        return out;
    }

    private void giveUp(String id, String why) {
        Holding h = holdings.remove(id);
        assembler.abandon(id, why);
        givenUp.add(new GivenUp(id, why, h.positions));
    }

    public int pendingCount() {
        return holdings.size();
    }

    /** Forgets every pending trajectory (a new replay pass starts); returns what was held. */
    public List<GivenUp> clear(String why) {
        List<String> ids = new ArrayList<>(holdings.keySet());
        ids.forEach(id -> giveUp(id, why));
        List<GivenUp> out = List.copyOf(givenUp);
        givenUp.clear();
        assembler = new TrajectoryAssembler(rememberIds); // a new pass reads every trajectory again
        return out;
    }
}
