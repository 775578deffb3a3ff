package dev.sfd.core.distill.quality;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.image.ImageGrid;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Teacher versus student images for the same prompts and seeds: one row per (label, seed), columns
 * the teacher at high NFE, the teacher's DPM-Solver++(3M) at the lowest NFE, and the student at each
 * NFE. Image data sets only (samples [C, H, W] in [−1, 1]).
 */
public final class ComparisonGrid {

    private ComparisonGrid() {
    }

    /**
     * @param labels     one label per row
     * @param rowNames   the row labels (e.g. the prompt of each label)
     * @param seeds      one seed per row (x_N shared by every column of the row)
     */
    public static ImageGrid build(NoiseModel teacher, StudentSampler student, int[] labels, List<String> rowNames,
            long[] seeds, List<Integer> nfes, int highNfe, int scale) {
        Schedule schedule = student.metadata().schedule().schedule();
        List<String> columns = new ArrayList<>();
        List<FloatTensor> images = new ArrayList<>();
        TeacherSampler high = TeacherSampler.atNfe("dpm++3m", highNfe, schedule);
        columns.add("T" + highNfe);
        images.add(run(teacher, high, seeds, labels, student));
        int low = nfes.get(0);
        columns.add("T" + low);
        images.add(run(teacher, TeacherSampler.atNfe("dpm++3m", low, schedule), seeds, labels, student));
        for (int nfe : nfes) {
            columns.add("S" + nfe);
            images.add(student.sampleAtNfe(seeds, labels, nfe, 1.0).samples());
        }
        ImageGrid grid = new ImageGrid(labels.length, columns.size(), scale).columnLabels(columns).rowLabels(rowNames);
        for (int c = 0; c < columns.size(); c++) {
            FloatTensor batch = images.get(c);
            long[] s = batch.shape();
            for (int r = 0; r < labels.length; r++) {
                float[] one = batch.sample(r);
                grid.set(r, c, new FloatTensor(new long[] {s[1], s[2], s[3]}, one));
            }
        }
        return grid;
    }

    private static FloatTensor run(NoiseModel teacher, TeacherSampler ts, long[] seeds, int[] labels,
            StudentSampler student) {
        FloatTensor xN = SeededNoise.gaussian(seeds, student.metadata().sampleShape(), ts.timestamps()[0]);
        return ts.solver().solve(teacher, xN, ts.timestamps(), Condition.labels(labels));
    }
}
