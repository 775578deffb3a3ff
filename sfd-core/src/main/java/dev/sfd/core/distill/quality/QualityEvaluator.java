package dev.sfd.core.distill.quality;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.CountingNoiseModel;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.trajectory.SeededNoise;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSample;
import dev.sfd.core.distill.FewStepSampler;
import dev.sfd.core.tensor.FloatTensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a {@link QualityReport}: for every NFE, the teacher's solvers at that NFE
 * ({@link TeacherSampler}), the student at that NFE, and once the teacher at high NFE, all on the
 * SAME evaluation seeds and labels (sample i: seed {@code seedBase + i}, label i mod C, ω = 1).
 * Samples are drawn in chunks so image data sets stay within memory.
 */
public final class QualityEvaluator {

    /** Teacher solvers compared by default. */
    public static final List<String> TEACHER_SOLVERS = List.of("euler", "heun", "dpm++3m", "afs+dpm++3m");

    private final NoiseModel teacher;
    private final FewStepSampler student;
    private final SampleQuality quality;
    private final String dataset;
    private int samples = 4000;
    private int chunk = 1000;
    private long seedBase = 1_000_000;
    private int highNfe = 64;
    private String highSolver = "dpm++3m";
    private List<String> solvers = TEACHER_SOLVERS;

    public QualityEvaluator(String dataset, NoiseModel teacher, FewStepSampler student, SampleQuality quality) {
        this.dataset = dataset;
        this.teacher = teacher;
        this.student = student;
        this.quality = quality;
    }

    public QualityEvaluator samples(int n) { samples = n; return this; }
    public QualityEvaluator chunk(int n) { chunk = n; return this; }
    public QualityEvaluator seedBase(long s) { seedBase = s; return this; }
    public QualityEvaluator highNfe(int n) { highNfe = n; return this; }
    public QualityEvaluator highSolver(String s) { highSolver = s; return this; }
    public QualityEvaluator solvers(List<String> s) { solvers = List.copyOf(s); return this; }

    /** The evaluation seeds. */
    public long[] seeds() {
        long[] s = new long[samples];
        for (int i = 0; i < samples; i++) {
            s[i] = seedBase + i;
        }
        return s;
    }

    /** The evaluation labels (balanced over the classes), or null for an unconditional model. */
    public int[] labels() {
        int c = student.metadata().classes();
        if (c <= 0) {
            return null;
        }
        int[] l = new int[samples];
        for (int i = 0; i < samples; i++) {
            l[i] = i % c;
        }
        return l;
    }

    public QualityReport evaluate(List<Integer> nfes) {
        StudentMetadata meta = student.metadata();
        Schedule schedule = meta.schedule().schedule();
        long[] seeds = seeds();
        int[] labels = labels();
        Map<Integer, Map<String, QualityReport.Cell>> rows = new TreeMap<>();
        List<String> columns = new ArrayList<>(solvers);
        columns.add(QualityReport.STUDENT);
        for (int nfe : nfes) {
            Map<String, QualityReport.Cell> row = new LinkedHashMap<>();
            for (String s : solvers) {
                TeacherSampler ts = TeacherSampler.atNfe(s, nfe, schedule);
                if (ts != null) {
                    row.put(s, teacherCell(ts, seeds, labels));
                }
            }
            row.put(QualityReport.STUDENT, studentCell(nfe, seeds, labels));
            rows.put(nfe, row);
        }
        QualityReport.Cell reference = teacherCell(TeacherSampler.atNfe(highSolver, highNfe, schedule), seeds, labels);
        List<String> notes = List.of(
                "N means student steps; the student at NFE k samples with N = " + (meta.afs() ? "k+1 (AFS)" : "k")
                        + " steps; trained N " + meta.stepCounts(),
                "equal NFE: euler/dpm++3m use k steps on Γ(k); afs+dpm++3m k+1 steps (first analytic); heun ⌊k/2⌋ "
                        + "steps, plus a final Euler step t_min→0 for odd k",
                "teacher@" + highNfe + " = " + reference.sampler() + "; all samplers share " + samples
                        + " seeds from " + seedBase + " and labels i mod C; ω = 1",
                "schedule " + schedule.name());
        return new QualityReport(dataset, quality.metrics(), samples, columns, rows, reference, notes);
    }

    private QualityReport.Cell teacherCell(TeacherSampler ts, long[] seeds, int[] labels) {
        long t0 = System.nanoTime();
        CountingNoiseModel counted = new CountingNoiseModel(teacher);
        List<FloatTensor> parts = new ArrayList<>();
        long calls = 0;
        for (int from = 0; from < seeds.length; from += chunk) {
            int to = Math.min(seeds.length, from + chunk);
            long[] s = java.util.Arrays.copyOfRange(seeds, from, to);
            Condition c = labels == null ? Condition.none() : Condition.labels(java.util.Arrays.copyOfRange(labels, from, to));
            FloatTensor xN = SeededNoise.gaussian(s, student.metadata().sampleShape(), ts.timestamps()[0]);
            counted.reset();
            parts.add(ts.solver().solve(counted, xN, ts.timestamps(), c));
            calls = counted.calls();
        }
        FloatTensor x = concat(parts);
        return new QualityReport.Cell(ts.describe(), (int) calls, quality.measure(x, labels),
                (System.nanoTime() - t0) / 1e9);
    }

    private QualityReport.Cell studentCell(int nfe, long[] seeds, int[] labels) {
        long t0 = System.nanoTime();
        List<FloatTensor> parts = new ArrayList<>();
        StudentSample last = null;
        for (int from = 0; from < seeds.length; from += chunk) {
            int to = Math.min(seeds.length, from + chunk);
            last = student.sampleAtNfe(java.util.Arrays.copyOfRange(seeds, from, to),
                    labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to), nfe, 1.0);
            parts.add(last.samples());
        }
        FloatTensor x = concat(parts);
        return new QualityReport.Cell("student, " + last.steps() + " steps" + (last.untrained() ? " (untrained N)" : ""),
                last.nfe(), quality.measure(x, labels), (System.nanoTime() - t0) / 1e9);
    }

    /** Concatenates batches along axis 0. */
    public static FloatTensor concat(List<FloatTensor> parts) {
        int total = 0;
        int n = 0;
        for (FloatTensor p : parts) {
            total += p.data().length;
            n += p.batch();
        }
        float[] d = new float[total];
        int off = 0;
        for (FloatTensor p : parts) {
            System.arraycopy(p.data(), 0, d, off, p.data().length);
            off += p.data().length;
        }
        long[] shape = parts.get(0).shape().clone();
        shape[0] = n;
        return new FloatTensor(shape, d);
    }
}
