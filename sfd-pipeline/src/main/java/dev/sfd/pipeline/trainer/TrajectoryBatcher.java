package dev.sfd.pipeline.trainer;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.List;

/** Stacks trajectories of one step count N, as they arrived, into one training batch. */
public final class TrajectoryBatcher {

    private TrajectoryBatcher() {
    }

    /** The batch's teacher trajectory and per-sample labels (−1 when a trajectory carries none). */
    public record Stacked(TeacherTrajectory trajectory, long[] labels) {
    }

    public static Stacked stack(List<Trajectory> items) {
        Trajectory first = items.get(0);
        int n = first.steps();
        int b = items.size();
        long[] seeds = new long[b];
        long[] labels = new long[b];
        int[] intLabels = new int[b];
        for (int i = 0; i < b; i++) {
            Trajectory t = items.get(i);
            if (t.steps() != n) {
                throw new IllegalArgumentException("cannot batch N = " + t.steps() + " with N = " + n);
            }
            seeds[i] = t.header().seed();
            intLabels[i] = t.header().conditionIds().isEmpty() ? -1 : t.header().conditionIds().get(0);
            labels[i] = intLabels[i];
        }
        List<FloatTensor> points = new ArrayList<>();
        for (int step = n; step >= 0; step--) { // x_N first, then x̃_{N−1} … x̃_0
            FloatTensor one = first.point(step);
            int size = one.data().length;
            long[] shape = one.shape().clone();
            shape[0] = b;
            float[] data = new float[b * size];
            for (int i = 0; i < b; i++) {
                System.arraycopy(items.get(i).point(step).data(), 0, data, i * size, size);
            }
            points.add(new FloatTensor(shape, data));
        }
        double[] timestamps = new double[n + 1];
        for (int i = 0; i <= n; i++) {
            timestamps[i] = first.timestamp(n - i);
        }
        TeacherTrajectory traj = new TeacherTrajectory(seeds, timestamps, points, Condition.labels(intLabels),
                first.header().solver(), first.header().solverSubsteps(), 0);
        return new Stacked(traj, labels);
    }
}
