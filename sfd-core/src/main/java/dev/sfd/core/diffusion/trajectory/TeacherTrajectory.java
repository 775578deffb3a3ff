package dev.sfd.core.diffusion.trajectory;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.tensor.FloatTensor;
import java.util.List;

/**
 * The teacher's trajectory for a batch: points {@code x̃_N … x̃_0} at the student timestamps
 * {@code t_N > … > t_0} (index 0 = x_N, the initial noise), with everything needed to reproduce it.
 *
 * @param seeds      per-sample seeds of x_N
 * @param timestamps student timestamps, descending (t_N first), length N + 1
 * @param points     x̃ at each timestamp, same order, each [B, …]
 * @param condition  the condition the teacher was run with
 * @param solver     teacher solver name
 * @param k          teacher sub-steps per student step
 * @param nfe        teacher network calls spent on the batch
 */
public record TeacherTrajectory(long[] seeds, double[] timestamps, List<FloatTensor> points, Condition condition,
        String solver, int k, long nfe) {

    public TeacherTrajectory {
        seeds = seeds.clone();
        timestamps = timestamps.clone();
        points = List.copyOf(points);
        if (points.size() != timestamps.length) {
            throw new IllegalArgumentException(points.size() + " points for " + timestamps.length + " timestamps");
        }
    }

    /** Number of student steps N. */
    public int steps() {
        return timestamps.length - 1;
    }

    /** x̃_n, the teacher point at student timestamp t_n (n = N … 0). */
    public FloatTensor pointAt(int n) {
        return points.get(steps() - n);
    }

    /** The final teacher sample x̃_0. */
    public FloatTensor last() {
        return points.get(points.size() - 1);
    }

    @Override
    public long[] seeds() {
        return seeds.clone();
    }

    @Override
    public double[] timestamps() {
        return timestamps.clone();
    }
}
