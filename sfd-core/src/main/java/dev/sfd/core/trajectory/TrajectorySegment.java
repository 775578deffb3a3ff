package dev.sfd.core.trajectory;

import dev.sfd.core.tensor.FloatTensor;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One Kafka record of topic {@code sfd.trajectories}: one point of a teacher trajectory.
 *
 * <p>A trajectory with N student steps has N + 1 segments, in message order: segment index
 * i = 0 carries x_N at t_N plus the {@link TrajectoryHeader}; segment i ≥ 1 carries the teacher
 * point x̃_n at t_n for step n = N − i. So {@link #step()} = totalSegments − 1 − segmentIndex.
 *
 * @param trajectoryId  Kafka key, the same for all segments of a trajectory (≤ 256 chars)
 * @param segmentIndex  i, 0 … totalSegments − 1
 * @param totalSegments N + 1 (≥ 2)
 * @param timestamp     t_n of the point
 * @param tensor        the point (one sample, any shape, e.g. [3, 16, 16]), finite values
 * @param header        the header for segment 0, null for all others
 */
public record TrajectorySegment(
        String trajectoryId,
        int segmentIndex,
        int totalSegments,
        double timestamp,
        FloatTensor tensor,
        TrajectoryHeader header) {

    /** Longest trajectory id, in characters. */
    public static final int MAX_ID_LENGTH = 256;

    public TrajectorySegment {
        if (trajectoryId == null || trajectoryId.isBlank() || trajectoryId.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("trajectory id must be 1.." + MAX_ID_LENGTH + " non-blank characters, got "
                    + (trajectoryId == null ? "null" : trajectoryId.length() + " characters"));
        }
        String where = "trajectory " + trajectoryId + " segment " + segmentIndex + ": ";
        if (totalSegments < 2) {
            throw new IllegalArgumentException(where + "total segments must be >= 2 (N >= 1), got " + totalSegments);
        }
        if (segmentIndex < 0 || segmentIndex >= totalSegments) {
            throw new IllegalArgumentException(where + "index outside 0.." + (totalSegments - 1));
        }
        if (!Double.isFinite(timestamp)) {
            throw new IllegalArgumentException(where + "timestamp " + timestamp + " is not finite");
        }
        Objects.requireNonNull(tensor, "tensor");
        if ((segmentIndex == 0) != (header != null)) {
            throw new IllegalArgumentException(where + (segmentIndex == 0
                    ? "the first segment must carry the trajectory header"
                    : "only the first segment carries the header"));
        }
        if (header != null) {
            if (!header.trajectoryId().equals(trajectoryId)) {
                throw new IllegalArgumentException(where + "header is for trajectory " + header.trajectoryId());
            }
            if (header.totalSegments() != totalSegments) {
                throw new IllegalArgumentException(where + "header says N = " + header.steps() + " (" + header.totalSegments()
                        + " segments) but the segment says " + totalSegments);
            }
            if (header.timestamp(header.steps()) != timestamp) {
                throw new IllegalArgumentException(where + "timestamp " + timestamp + " differs from the header's t_N = "
                        + header.timestamp(header.steps()));
            }
        }
    }

    /** The first segment: header plus the initial noise x_N at t_N. */
    public static TrajectorySegment first(TrajectoryHeader header, FloatTensor xN) {
        return new TrajectorySegment(header.trajectoryId(), 0, header.totalSegments(),
                header.timestamp(header.steps()), xN, header);
    }

    /** The segment carrying teacher point x̃_n at t_n, for n = N − 1 … 0. */
    public static TrajectorySegment teacherPoint(TrajectoryHeader header, int n, FloatTensor point) {
        if (n < 0 || n >= header.steps()) {
            throw new IllegalArgumentException("teacher point step n = " + n + " outside 0.." + (header.steps() - 1)
                    + " (step N is the first segment, see first())");
        }
        return new TrajectorySegment(header.trajectoryId(), header.steps() - n, header.totalSegments(),
                header.timestamp(n), point, null);
    }

    /** n, the student step of this point: N for the first segment, down to 0 for the last. */
    public int step() {
        return totalSegments - 1 - segmentIndex;
    }

    /** N, the number of student steps of the trajectory. */
    public int steps() {
        return totalSegments - 1;
    }

    public boolean isFirst() {
        return segmentIndex == 0;
    }

    public Optional<TrajectoryHeader> headerOpt() {
        return Optional.ofNullable(header);
    }

    /** Key bytes for Kafka: the trajectory id in UTF-8. */
    public byte[] key() {
        return trajectoryId.getBytes(StandardCharsets.UTF_8);
    }
}
