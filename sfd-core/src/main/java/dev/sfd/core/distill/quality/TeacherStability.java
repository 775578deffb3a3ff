package dev.sfd.core.distill.quality;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How many samples make the teacher's own FD stable between evaluation sets (issue 25): the
 * teacher, with one sampler, on {@code sets} disjoint blocks of seeds of one seed set, its FD to the
 * data reference at each sample count. Block j holds seeds base + j·n_max + i ({@link
 * EvaluationSeeds#block}); the FD at n uses the first n samples of each block, so the sets at one n
 * never share a seed and each block is sampled once. The variation between sets is reported as
 * (max − min) / mean — the criterion is below {@value #TARGET_PERCENT} % — and sd / mean.
 */
public final class TeacherStability {

    /** The target: the teacher's FD varies by less than this many percent between sets. */
    public static final double TARGET_PERCENT = 5;

    /**
     * One sample count.
     *
     * @param samples   n
     * @param fd        FD of set j at n
     * @param intervals bootstrap interval of set j (null entries without bootstrap)
     */
    public record Row(int samples, double[] fd, Interval[] intervals) {

        public Spread spread() {
            return Spread.of(fd);
        }

        /** (max − min) / mean over the sets, in percent. */
        public double rangePercent() {
            double min = Arrays.stream(fd).min().orElseThrow();
            double max = Arrays.stream(fd).max().orElseThrow();
            return 100 * (max - min) / spread().mean();
        }

        /** Mean over the sets of the bootstrap interval's half-width, relative to the mean FD, in percent (NaN without). */
        public double bootstrapHalfWidthPercent() {
            if (intervals[0] == null) {
                return Double.NaN;
            }
            return 100 * Arrays.stream(intervals).mapToDouble(i -> i.width() / 2).average().orElseThrow() / spread().mean();
        }

        public boolean stable() {
            return rangePercent() < TARGET_PERCENT;
        }
    }

    private TeacherStability() {
    }

    /**
     * Measures every count on {@code sets} blocks of {@code seedSet} (its kind and base; its sample
     * count is ignored). {@code progress} gets one line per sampled block.
     */
    public static List<Row> measure(NoiseModel teacher, TeacherSampler sampler, long[] sampleShape, int classes,
            SampleQuality quality, EvaluationSeeds seedSet, List<Integer> counts, int sets, Bootstrap bootstrap, int chunk,
            Consumer<String> progress) {
        if (sets < 2) {
            throw new IllegalArgumentException("--sets " + sets + ": comparing evaluation sets needs at least 2");
        }
        if (counts.isEmpty() || counts.stream().anyMatch(n -> n < 2)) {
            throw new IllegalArgumentException("sample counts " + counts + ": give one or more counts ≥ 2");
        }
        int block = counts.stream().mapToInt(Integer::intValue).max().orElseThrow();
        EvaluationSeeds first = new EvaluationSeeds(seedSet.kind(), seedSet.base(), 1);
        double[][] fd = new double[counts.size()][sets];
        Interval[][] intervals = new Interval[counts.size()][sets];
        for (int j = 0; j < sets; j++) {
            long t0 = System.nanoTime();
            EvaluationSeeds seeds = first.block(j, block, block);
            int[] labels = seeds.labels(classes);
            FloatTensor x = sampler.sample(teacher, seeds.seeds(), labels, sampleShape, chunk);
            for (int c = 0; c < counts.size(); c++) {
                int n = counts.get(c);
                FloatTensor xs = ShapesQuality.firstRows(x, n);
                int[] ls = labels == null ? null : Arrays.copyOf(labels, n);
                Bootstrap.Statistic fdOf = quality.primary(xs, ls);
                if (bootstrap.enabled()) {
                    intervals[c][j] = bootstrap.interval(n, fdOf);
                    fd[c][j] = intervals[c][j].point();
                } else {
                    int[] all = new int[n];
                    Arrays.setAll(all, i -> i);
                    fd[c][j] = fdOf.of(all);
                }
            }
            progress.accept(String.format(Locale.ROOT, "set %d (%s): %.1f s", j, seeds.describe(),
                    (System.nanoTime() - t0) / 1e9));
        }
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < counts.size(); c++) {
            rows.add(new Row(counts.get(c), fd[c], intervals[c]));
        }
        return rows;
    }

    /** A markdown table: n, FD of each set, mean ± sd, sd/mean, (max − min)/mean, bootstrap half-width, stable. */
    public static String table(List<Row> rows) {
        int sets = rows.get(0).fd().length;
        StringBuilder sb = new StringBuilder("| samples |");
        for (int j = 0; j < sets; j++) {
            sb.append(" set ").append(j).append(" |");
        }
        sb.append(" mean ± sd | sd / mean | (max − min) / mean | bootstrap ½-width / mean | < ")
                .append((int) TARGET_PERCENT).append(" % |\n|---|");
        sb.append("---|".repeat(sets + 5)).append('\n');
        for (Row r : rows) {
            sb.append("| ").append(r.samples()).append(" |");
            for (int j = 0; j < sets; j++) {
                sb.append(' ').append(r.intervals()[j] == null ? QualityReport.fmt(r.fd()[j])
                        : r.intervals()[j].format(QualityReport::fmt)).append(" |");
            }
            Spread s = r.spread();
            sb.append(String.format(Locale.ROOT, " %s | %.1f %% | %.1f %% | %s | %s |%n", s.format(QualityReport::fmt),
                    100 * s.sd() / s.mean(), r.rangePercent(), Double.isNaN(r.bootstrapHalfWidthPercent()) ? "-"
                            : String.format(Locale.ROOT, "%.1f %%", r.bootstrapHalfWidthPercent()),
                    r.stable() ? "yes" : "no"));
        }
        return sb.toString();
    }
}
