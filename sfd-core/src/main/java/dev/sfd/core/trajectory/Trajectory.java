package dev.sfd.core.trajectory;

import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * A complete teacher trajectory as assembled from its segments: the header and the N + 1 points
 * in message order x_N, x̃_{N−1}, …, x̃_0.
 */
public record Trajectory(TrajectoryHeader header, List<FloatTensor> points) {

    public Trajectory {
        points = List.copyOf(points);
        if (points.size() != header.totalSegments()) {
            throw new IllegalArgumentException("trajectory " + header.trajectoryId() + " has " + points.size()
                    + " points, N = " + header.steps() + " needs " + header.totalSegments());
        }
    }

    public String id() {
        return header.trajectoryId();
    }

    /** N, the number of student steps. */
    public int steps() {
        return header.steps();
    }

    /** The point at student step n: x_N for n = N (initial noise), teacher x̃_n otherwise. */
    public FloatTensor point(int n) {
        if (n < 0 || n > steps()) {
            throw new IndexOutOfBoundsException("step n = " + n + " outside 0.." + steps());
        }
        return points.get(steps() - n);
    }

    /** t_n. */
    public double timestamp(int n) {
        return header.timestamp(n);
    }
}
