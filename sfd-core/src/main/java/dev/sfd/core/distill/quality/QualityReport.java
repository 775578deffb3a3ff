package dev.sfd.core.distill.quality;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The evaluation table of a student against its teacher (SFD.md "Evaluation": the student side
 * by side with the teacher's own solvers at the same NFE and with the teacher at high NFE).
 * Rows are NFE values; columns are samplers; each cell holds the sampler's actual NFE and one value
 * per metric. The high-NFE teacher is one reference cell shown in every row.
 *
 * @param dataset   data set name
 * @param metrics   metric names (primary first)
 * @param samples   samples per cell
 * @param samplers  column names, in order
 * @param rows      NFE → sampler → cell
 * @param reference the teacher at high NFE
 * @param notes     how NFE was matched and anything else worth printing under the table
 */
public record QualityReport(String dataset, List<String> metrics, int samples, List<String> samplers,
        Map<Integer, Map<String, Cell>> rows, Cell reference, List<String> notes) {

    /** Column name of the student. */
    public static final String STUDENT = "student";

    /**
     * One measured sampler.
     *
     * @param sampler  description (solver, steps)
     * @param nfe      network calls spent per sample batch
     * @param values   metric values in {@link QualityReport#metrics()} order
     * @param seconds  wall-clock time of sampling
     */
    public record Cell(String sampler, int nfe, double[] values, double seconds) {
    }

    /** Value of {@code metric} for {@code sampler} at {@code nfe}. */
    public double value(int nfe, String sampler, String metric) {
        Cell c = rows.get(nfe).get(sampler);
        return c.values()[metrics.indexOf(metric)];
    }

    /** Best (lowest or highest) value of {@code metric} among the teacher's solvers at {@code nfe}. */
    public double bestTeacher(int nfe, String metric, boolean higherIsBetter) {
        double best = higherIsBetter ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        for (var e : rows.get(nfe).entrySet()) {
            if (!e.getKey().equals(STUDENT)) {
                double v = e.getValue().values()[metrics.indexOf(metric)];
                best = higherIsBetter ? Math.max(best, v) : Math.min(best, v);
            }
        }
        return best;
    }

    /** A text table of one metric: rows NFE, columns samplers and the high-NFE teacher. */
    public String table(String metric) {
        int m = metrics.indexOf(metric);
        if (m < 0) {
            throw new IllegalArgumentException("no metric '" + metric + "' in " + metrics);
        }
        List<String> cols = new ArrayList<>(samplers);
        String refName = "teacher@" + reference.nfe();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s  %s (%d samples)%n", dataset, metric, samples));
        sb.append(String.format(Locale.ROOT, "%-5s", "NFE"));
        for (String c : cols) {
            sb.append(String.format(Locale.ROOT, " %14s", c));
        }
        sb.append(String.format(Locale.ROOT, " %14s%n", refName));
        for (var row : rows.entrySet()) {
            sb.append(String.format(Locale.ROOT, "%-5d", row.getKey()));
            for (String c : cols) {
                Cell cell = row.getValue().get(c);
                sb.append(cell == null ? String.format(Locale.ROOT, " %14s", "-")
                        : String.format(Locale.ROOT, " %14s", fmt(cell.values()[m])
                                + (cell.nfe() != row.getKey() ? "(" + cell.nfe() + ")" : "")));
            }
            sb.append(String.format(Locale.ROOT, " %14s%n", fmt(reference.values()[m])));
        }
        return sb.toString();
    }

    /** All metric tables followed by the notes. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (String metric : metrics) {
            sb.append(table(metric)).append('\n');
        }
        notes.forEach(n -> sb.append("note: ").append(n).append('\n'));
        return sb.toString();
    }

    /** metric → sampler → (NFE → value), for plotting; the reference as a flat line under its own name. */
    public Map<String, List<double[]>> series(String metric) {
        int m = metrics.indexOf(metric);
        Map<String, List<double[]>> out = new LinkedHashMap<>();
        for (String s : samplers) {
            List<double[]> pts = new ArrayList<>();
            rows.forEach((nfe, cells) -> {
                Cell c = cells.get(s);
                if (c != null) {
                    pts.add(new double[] {nfe, c.values()[m]});
                }
            });
            out.put(s, pts);
        }
        List<double[]> ref = new ArrayList<>();
        rows.keySet().forEach(nfe -> ref.add(new double[] {nfe, reference.values()[m]}));
        out.put("teacher@" + reference.nfe(), ref);
        return out;
    }

    private static String fmt(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
