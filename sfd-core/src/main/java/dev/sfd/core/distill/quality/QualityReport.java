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
 * @param seeds     the evaluation seeds (which set, which base), named in every table's header
 * @param samplers  column names, in order
 * @param rows      NFE → sampler → cell
 * @param reference the teacher at high NFE
 * @param notes     how NFE was matched and anything else worth printing under the table
 */
public record QualityReport(String dataset, List<String> metrics, int samples, EvaluationSeeds seeds, List<String> samplers,
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
     * @param interval bootstrap interval of the primary metric (values[0]), or null without bootstrap
     */
    public record Cell(String sampler, int nfe, double[] values, double seconds, Interval interval) {

        public Cell(String sampler, int nfe, double[] values, double seconds) {
            this(sampler, nfe, values, seconds, null);
        }

        /** Metric {@code m} as printed: the primary one with its interval when there is one. */
        String text(int m) {
            return m == 0 && interval != null ? interval.format(QualityReport::fmt) : fmt(values[m]);
        }
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
        List<String> header = new ArrayList<>(samplers);
        header.add("teacher@" + reference.nfe());
        List<List<String>> lines = new ArrayList<>();
        for (var row : rows.entrySet()) {
            List<String> line = new ArrayList<>();
            for (String c : samplers) {
                Cell cell = row.getValue().get(c);
                line.add(cell == null ? "-" : cell.text(m) + (cell.nfe() != row.getKey() ? "(" + cell.nfe() + ")" : ""));
            }
            line.add(reference.text(m));
            lines.add(line);
        }
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = Math.max(14, header.get(c).length());
            for (List<String> line : lines) {
                width[c] = Math.max(width[c], line.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s  %s (%d samples; %s)%n", dataset, metric, samples, seeds.describe()));
        sb.append(String.format(Locale.ROOT, "%-5s", "NFE"));
        for (int c = 0; c < width.length; c++) {
            sb.append(' ').append(pad(header.get(c), width[c]));
        }
        sb.append('\n');
        int r = 0;
        for (Integer nfe : rows.keySet()) {
            sb.append(String.format(Locale.ROOT, "%-5d", nfe));
            List<String> line = lines.get(r++);
            for (int c = 0; c < width.length; c++) {
                sb.append(' ').append(pad(line.get(c), width[c]));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return " ".repeat(Math.max(0, width - s.length())) + s;
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

    /** How the report prints a value: 4 decimals, or 4 significant digits in e-notation when tiny or huge. */
    public static String fmt(double v) {
        double a = Math.abs(v);
        return a != 0 && (a < 1e-3 || a >= 1e5) ? String.format(Locale.ROOT, "%.3e", v)
                : String.format(Locale.ROOT, "%.4f", v);
    }
}
