package dev.sfd.core.distill.quality;

import dev.sfd.core.diffusion.CountingNoiseModel;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
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
 * SAME evaluation seeds and labels ({@link EvaluationSeeds}: sample i has seed base + i and label
 * i mod C, ω = 1; default the development set). With a {@link Bootstrap}, every cell's primary
 * metric carries its 95 % interval. Samples are drawn in chunks so image data sets stay within memory.
 */
public final class QualityEvaluator {

    /** Teacher solvers compared by default. */
    public static final List<String> TEACHER_SOLVERS = List.of("euler", "heun", "dpm++3m", "afs+dpm++3m");

    private final NoiseModel teacher;
    private final FewStepSampler student;
    private final SampleQuality quality;
    private final String dataset;
    private EvaluationSeeds seeds = EvaluationSeeds.development(4000);
    private Bootstrap bootstrap = Bootstrap.off();
    private int chunk = 1000;
    private int highNfe = 64;
    private String highSolver = "dpm++3m";
    private List<String> solvers = TEACHER_SOLVERS;

    public QualityEvaluator(String dataset, NoiseModel teacher, FewStepSampler student, SampleQuality quality) {
        this.dataset = dataset;
        this.teacher = teacher;
        this.student = student;
        this.quality = quality;
    }

    /** The same set (or override base) with {@code n} samples. */
    public QualityEvaluator samples(int n) { seeds = new EvaluationSeeds(seeds.kind(), seeds.base(), n); return this; }
    public QualityEvaluator seeds(EvaluationSeeds s) { seeds = s; return this; }
    public QualityEvaluator bootstrap(Bootstrap b) { bootstrap = b; return this; }
    public QualityEvaluator chunk(int n) { chunk = n; return this; }
    /** Seeds outside the split: base … base + samples − 1 (reported as an override). */
    public QualityEvaluator seedBase(long s) { seeds = EvaluationSeeds.override(s, seeds.samples()); return this; }
    public QualityEvaluator highNfe(int n) { highNfe = n; return this; }
    public QualityEvaluator highSolver(String s) { highSolver = s; return this; }
    public QualityEvaluator solvers(List<String> s) { solvers = List.copyOf(s); return this; }

    /** The evaluation seeds. */
    public long[] seeds() {
        return seeds.seeds();
    }

    /** Which seeds, as the report names them. */
    public EvaluationSeeds seedSet() {
        return seeds;
    }

    /** The evaluation labels (balanced over the classes), or null for an unconditional model. */
    public int[] labels() {
        return seeds.labels(student.metadata().classes());
    }

    public QualityReport evaluate(List<Integer> nfes) {
        StudentMetadata meta = student.metadata();
        Schedule schedule = meta.schedule().schedule();
        long[] seedList = seeds();
        int[] labels = labels();
        Map<Integer, Map<String, QualityReport.Cell>> rows = new TreeMap<>();
        List<String> columns = new ArrayList<>(solvers);
        columns.add(QualityReport.STUDENT);
        for (int nfe : nfes) {
            Map<String, QualityReport.Cell> row = new LinkedHashMap<>();
            for (String s : solvers) {
                TeacherSampler ts = TeacherSampler.atNfe(s, nfe, schedule);
                if (ts != null) {
                    row.put(s, teacherCell(ts, seedList, labels));
                }
            }
            row.put(QualityReport.STUDENT, studentCell(nfe, seedList, labels));
            rows.put(nfe, row);
        }
        QualityReport.Cell reference = teacherCell(TeacherSampler.atNfe(highSolver, highNfe, schedule), seedList, labels);
        List<String> notes = new ArrayList<>(List.of(
                "N means student steps; the student at NFE k samples with N = " + (meta.afs() ? "k+1 (AFS)" : "k")
                        + " steps; trained N " + meta.stepCounts(),
                "equal NFE: euler/dpm++3m use k steps on Γ(k); afs+dpm++3m k+1 steps (first analytic); heun ⌊k/2⌋ "
                        + "steps, plus a final Euler step t_min→0 for odd k",
                "teacher@" + highNfe + " = " + reference.sampler() + "; all samplers share the " + seeds.describe()
                        + " and labels i mod C; ω = 1",
                "schedule " + schedule.name(), bootstrap.describe()));
        return new QualityReport(dataset, quality.metrics(), seeds.samples(), seeds, columns, rows, reference, notes);
    }

    private QualityReport.Cell teacherCell(TeacherSampler ts, long[] seedList, int[] labels) {
        long t0 = System.nanoTime();
        CountingNoiseModel counted = new CountingNoiseModel(teacher);
        FloatTensor x = ts.sample(counted, seedList, labels, student.metadata().sampleShape(), chunk);
        long calls = counted.calls() / ((seedList.length + chunk - 1) / chunk); // batched calls per chunk
        return cell(ts.describe(), (int) calls, x, labels, t0);
    }

    private QualityReport.Cell studentCell(int nfe, long[] seedList, int[] labels) {
        long t0 = System.nanoTime();
        List<FloatTensor> parts = new ArrayList<>();
        StudentSample last = null;
        for (int from = 0; from < seedList.length; from += chunk) {
            int to = Math.min(seedList.length, from + chunk);
            last = student.sampleAtNfe(java.util.Arrays.copyOfRange(seedList, from, to),
                    labels == null ? null : java.util.Arrays.copyOfRange(labels, from, to), nfe, 1.0);
            parts.add(last.samples());
        }
        return cell("student, " + last.steps() + " steps" + (last.untrained() ? " (untrained N)" : ""), last.nfe(),
                FloatTensor.concat(parts), labels, t0);
    }

    private QualityReport.Cell cell(String sampler, int nfe, FloatTensor x, int[] labels, long t0) {
        double[] values = quality.measure(x, labels);
        Interval interval = bootstrap.enabled() ? bootstrap.interval(x.batch(), quality.primary(x, labels)) : null;
        return new QualityReport.Cell(sampler, nfe, values, (System.nanoTime() - t0) / 1e9, interval);
    }
}
