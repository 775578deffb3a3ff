package dev.sfd.pipeline.trainer;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TrajectoryBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Stacks rows of one step count N, taken from any blocks, into one training batch by bulk copy:
 * for each of the N + 1 points, each row's D floats are one {@code System.arraycopy} out of its
 * block's contiguous [N+1][B][D] array. No per-trajectory objects are built.
 */
public final class TrajectoryBatcher {

    private TrajectoryBatcher() {
    }

    /** The batch's teacher trajectory and per-sample labels (−1 = none). */
    public record Stacked(TeacherTrajectory trajectory, long[] labels) {
    }

    public static Stacked stack(List<TrainingRow> rows) {
        TrajectoryBlock first = rows.get(0).block();
        int n = first.steps();
        int b = rows.size();
        int d = first.sampleSize();
        long[] seeds = new long[b];
        long[] labels = new long[b];
        int[] intLabels = new int[b];
        for (int i = 0; i < b; i++) {
            TrainingRow r = rows.get(i);
            if (r.block().steps() != n) {
                throw new IllegalArgumentException("cannot batch N = " + r.block().steps() + " with N = " + n);
            }
            seeds[i] = r.seed();
            intLabels[i] = r.block().label()[r.row()];
            labels[i] = intLabels[i];
        }
        long[] shape = new long[first.sampleShape().length + 1];
        shape[0] = b;
        System.arraycopy(first.sampleShape(), 0, shape, 1, first.sampleShape().length);
        List<FloatTensor> points = new ArrayList<>(n + 1);
        for (int step = 0; step <= n; step++) { // x_N first, then x̃_{N−1} … x̃_0
            float[] data = new float[b * d];
            for (int i = 0; i < b; i++) {
                TrainingRow r = rows.get(i);
                System.arraycopy(r.block().points(), r.block().offset(step, r.row()), data, i * d, d);
            }
            points.add(new FloatTensor(shape.clone(), data));
        }
        TeacherTrajectory traj = new TeacherTrajectory(seeds, first.timestamps(), points, Condition.labels(intLabels),
                first.solver(), first.k(), 0);
        return new Stacked(traj, labels);
    }
}
