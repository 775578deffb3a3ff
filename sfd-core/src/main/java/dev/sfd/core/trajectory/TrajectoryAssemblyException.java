package dev.sfd.core.trajectory;

/**
 * A segment the {@link TrajectoryAssembler} refuses. The segment itself decoded fine, but does
 * not fit the trajectory it claims to belong to; services send it to the dead-letter topic with
 * {@link #getMessage()} as the reason.
 */
public class TrajectoryAssemblyException extends Exception {

    /** Why the segment was refused. */
    public enum Reason {
        /** The same segment index arrived twice for a pending trajectory. */
        DUPLICATE_SEGMENT,
        /** A segment for a trajectory that was already completed (a late redelivery). */
        ALREADY_COMPLETE,
        /** A segment for a trajectory that was abandoned earlier (inconsistent, or given up by the caller). */
        ABANDONED,
        /** Index beyond the segment count seen earlier for this trajectory. */
        INDEX_OUT_OF_RANGE,
        /** The segment count differs from earlier segments of this trajectory. */
        TOTAL_MISMATCH,
        /** The timestamp differs from the header's t_n. */
        TIMESTAMP_MISMATCH,
        /** The tensor shape differs from other segments of this trajectory. */
        SHAPE_MISMATCH
    }

    private final Reason reason;
    private final String trajectoryId;

    public TrajectoryAssemblyException(Reason reason, String trajectoryId, String detail) {
        super(reason + ": trajectory " + trajectoryId + ": " + detail);
        this.reason = reason;
        this.trajectoryId = trajectoryId;
    }

    public Reason reason() {
        return reason;
    }

    public String trajectoryId() {
        return trajectoryId;
    }
}
