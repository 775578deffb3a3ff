package dev.sfd.cli;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.quality.Bootstrap;
import dev.sfd.core.distill.quality.EvaluationSeeds;
import dev.sfd.core.distill.quality.Interval;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.SampleQuality;
import dev.sfd.core.distill.quality.Spread;
import dev.sfd.core.distill.quality.TeacherSampler;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.pipeline.TeacherSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd student-quality}: the metrics of one or more students alone, one line per student and
 * NFE, on the seeds and labels {@code sfd evaluate} uses for the same seed set and --samples,
 * without the teacher solvers: the cheap proxy for ranking distillation recipes
 * (docs/quality-recipe.md). With several students (e.g. distilled with different --seed) each figure
 * is also given as mean ± sd over them. Default seeds: the development set.
 */
@Command(name = "student-quality", mixinStandardHelpOptions = true,
        description = {"Student-only metrics per NFE on sfd evaluate's seeds and labels (fast recipe ranking); with "
                + "several students, mean ± sd of every figure over them.",
            "Default seeds: the development set (seeds from " + EvaluationSeeds.DEVELOPMENT_BASE + "), the one for "
                    + "recipe search; --seed-set held-out for reported figures (seeds from "
                    + EvaluationSeeds.HELD_OUT_BASE + ")."})
final class StudentQualityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    EvaluationSeedOptions seedOptions;

    @Option(names = "--student", required = true, split = ",", description = "Student ONNX file(s) from sfd distill, "
            + "repeated or comma-separated (e.g. the same recipe with --seed 0, 7, 13); all of one data set.")
    List<Path> students;

    @Option(names = "--nfe", split = ",", defaultValue = "2,3,4,5", description = "NFE values (default ${DEFAULT-VALUE}).")
    List<Integer> nfe;

    @Option(names = "--samples", defaultValue = "1000", description = "Samples per NFE (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--teacher", description = "With --teacher-nfe: the teacher (mixture2d | shapes | .onnx).")
    String teacher;

    @Option(names = "--teacher-nfe", split = ",", description = "Also measure the teacher with DPM-Solver++(3M) at these "
            + "NFE on the same seeds, on the polynomial schedule over the teacher's own [t_min, t_max] (convergence check).")
    List<Integer> teacherNfe;

    @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        EvaluationSeeds seeds = seedOptions.seeds(EvaluationSeeds.Kind.DEVELOPMENT, samples);
        Bootstrap bootstrap = seedOptions.bootstrap(Bootstrap.DEFAULT_REPLICATES);
        List<StudentCheckpoint> checkpoints = new ArrayList<>();
        for (Path p : students) {
            checkpoints.add(StudentCheckpoint.load(p));
        }
        StudentMetadata meta = sameDataSet(checkpoints);
        long[] seedList = seeds.seeds();
        int[] labels = seeds.labels(meta.classes());
        String tag = seeds.tag();
        SampleQuality quality = EvaluateCommand.qualityFor(meta.dataset(), threads);
        try {
            w.printf(Locale.ROOT, "%s, %d student(s), %s; %s%n", meta.dataset(), students.size(), seeds.describe(),
                    bootstrap.describe());
            w.printf(Locale.ROOT, "%-24s %-5s %s  seeds%n", "student", "NFE", String.join("  ", quality.metrics()));
            double[][][] values = new double[nfe.size()][students.size()][];
            for (int s = 0; s < students.size(); s++) {
                try (StudentSampler sampler = new StudentSampler(checkpoints.get(s), SessionConfig.cpu(threads))) {
                    for (int k = 0; k < nfe.size(); k++) {
                        List<FloatTensor> parts = new ArrayList<>();
                        for (int from = 0; from < seedList.length; from += 1000) {
                            int to = Math.min(seedList.length, from + 1000);
                            parts.add(sampler.sampleAtNfe(Arrays.copyOfRange(seedList, from, to),
                                    labels == null ? null : Arrays.copyOfRange(labels, from, to), nfe.get(k), 1.0).samples());
                        }
                        FloatTensor x = FloatTensor.concat(parts);
                        values[k][s] = quality.measure(x, labels);
                        Interval fd = bootstrap.enabled() ? bootstrap.interval(x.batch(), quality.primary(x, labels)) : null;
                        w.printf(Locale.ROOT, "%-24s %-5d %s  %s%n", students.get(s).getFileName(), nfe.get(k),
                                line(values[k][s], fd), tag);
                        w.flush();
                    }
                }
            }
            if (students.size() > 1) {
                w.printf(Locale.ROOT, "mean ± sd over the %d students (sample sd, n − 1):%n", students.size());
                for (int k = 0; k < nfe.size(); k++) {
                    StringBuilder sb = new StringBuilder();
                    for (int m = 0; m < quality.metrics().size(); m++) {
                        double[] perStudent = new double[students.size()];
                        for (int s = 0; s < perStudent.length; s++) {
                            perStudent[s] = values[k][s][m];
                        }
                        sb.append(m == 0 ? "" : "  ").append(Spread.of(perStudent).format(StudentQualityCommand::g));
                    }
                    w.printf(Locale.ROOT, "%-24s %-5d %s  %s%n", "mean ± sd", nfe.get(k), sb, tag);
                }
            }
            if (teacherNfe != null && !teacherNfe.isEmpty()) {
                teacherLines(w, meta, quality, seedList, labels, bootstrap, tag);
            }
        } finally {
            if (quality instanceof AutoCloseable c) {
                c.close();
            }
        }
        return 0;
    }

    /** The teacher with DPM-Solver++(3M) at each --teacher-nfe on the same seeds. */
    private void teacherLines(PrintWriter w, StudentMetadata meta, SampleQuality quality, long[] seedList, int[] labels,
            Bootstrap bootstrap, String tag) {
        TeacherSource src = TeacherSource.resolve(teacher != null ? teacher : meta.dataset());
        var schedule = ScheduleSpec.polynomial(src.info().tMin(), src.info().tMax()).schedule();
        try (NoiseModel t = src.open(threads)) {
            for (int k : teacherNfe) {
                TeacherSampler ts = TeacherSampler.atNfe("dpm++3m", k, schedule);
                FloatTensor x = ts.sample(t, seedList, labels, meta.sampleShape(), 1000);
                Interval fd = bootstrap.enabled() ? bootstrap.interval(x.batch(), quality.primary(x, labels)) : null;
                w.printf(Locale.ROOT, "%-24s %-5d %s  %s%n", "teacher " + ts.describe(), k,
                        line(quality.measure(x, labels), fd), tag);
                w.flush();
            }
        }
    }

    /** All students must be of one data set with one sample shape and label count. */
    private StudentMetadata sameDataSet(List<StudentCheckpoint> checkpoints) {
        StudentMetadata first = checkpoints.get(0).metadata();
        for (int i = 1; i < checkpoints.size(); i++) {
            StudentMetadata m = checkpoints.get(i).metadata();
            if (!m.dataset().equals(first.dataset()) || m.classes() != first.classes()
                    || !Arrays.equals(m.sampleShape(), first.sampleShape())) {
                throw new IllegalArgumentException("--student " + students.get(i) + " is a '" + m.dataset() + "' student ("
                        + m.classes() + " classes, samples " + Arrays.toString(m.sampleShape()) + ") but "
                        + students.get(0) + " is '" + first.dataset() + "' (" + first.classes() + " classes, samples "
                        + Arrays.toString(first.sampleShape()) + "): mean ± sd needs students of one data set; "
                        + "run student-quality once per data set");
            }
        }
        return first;
    }

    private static String line(double[] v, Interval fd) {
        StringBuilder sb = new StringBuilder(fd == null ? g(v[0]) : fd.format(StudentQualityCommand::g));
        for (int i = 1; i < v.length; i++) {
            sb.append("  ").append(g(v[i]));
        }
        return sb.toString();
    }

    static String g(double v) {
        return String.format(Locale.ROOT, "%.5g", v);
    }
}
