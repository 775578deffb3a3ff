package dev.sfd.core.distill;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Regrouping of stored trajectories for another pass: the trajectories of each N are shuffled and
 * cut into batches of the training batch size, and the batches of all N are interleaved in a
 * shuffled order (Fisher–Yates with the given generator).
 */
final class TrajectoryReplay {

    private TrajectoryReplay() {
    }

    static List<TrajectoryStore.Batch> regroup(TrajectoryStore.Contents data, int batch, SplitMix64 rng) {
        Map<Integer, List<int[]>> byN = new TreeMap<>(); // N → (record, row)
        List<TrajectoryStore.Batch> src = data.batches();
        for (int r = 0; r < src.size(); r++) {
            for (int i = 0; i < src.get(r).size(); i++) {
                byN.computeIfAbsent(src.get(r).trajectory().steps(), k -> new ArrayList<>()).add(new int[] {r, i});
            }
        }
        List<TrajectoryStore.Batch> out = new ArrayList<>();
        for (List<int[]> rows : byN.values()) {
            shuffle(rows, rng);
            for (int from = 0; from < rows.size(); from += batch) {
                out.add(gather(src, rows.subList(from, Math.min(rows.size(), from + batch))));
            }
        }
        shuffle(out, rng);
        return out;
    }

    private static TrajectoryStore.Batch gather(List<TrajectoryStore.Batch> src, List<int[]> rows) {
        int b = rows.size();
        TeacherTrajectory first = src.get(rows.get(0)[0]).trajectory();
        int points = first.points().size();
        int d = first.points().get(0).sampleSize();
        long[] shape = first.points().get(0).shape().clone();
        shape[0] = b;
        long[] seeds = new long[b];
        long[] labels = src.get(rows.get(0)[0]).labels() == null ? null : new long[b];
        List<FloatTensor> pts = new ArrayList<>(points);
        for (int p = 0; p < points; p++) {
            float[] data = new float[b * d];
            for (int j = 0; j < b; j++) {
                int[] at = rows.get(j);
                System.arraycopy(src.get(at[0]).trajectory().points().get(p).data(), at[1] * d, data, j * d, d);
            }
            pts.add(new FloatTensor(shape.clone(), data));
        }
        for (int j = 0; j < b; j++) {
            int[] at = rows.get(j);
            TrajectoryStore.Batch s = src.get(at[0]);
            seeds[j] = s.trajectory().seeds()[at[1]];
            if (labels != null) {
                labels[j] = s.labels()[at[1]];
            }
        }
        return new TrajectoryStore.Batch(new TeacherTrajectory(seeds, first.timestamps(), pts, Condition.none(),
                first.solver(), first.k(), 0), labels);
    }

    private static <T> void shuffle(List<T> list, SplitMix64 rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = (int) Math.floorMod(rng.nextLong(), (long) (i + 1));
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }
}
