package dev.sfd.cli;

import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.SampleQuality;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd student-quality}: the student's metrics alone, one line per NFE, on exactly the seeds
 * and labels {@code sfd evaluate} uses (same --samples and --seed-base), without the teacher
 * solvers: a cheap proxy for ranking distillation recipes (docs/quality-recipe.md).
 */
@Command(name = "student-quality", mixinStandardHelpOptions = true,
        description = "Student-only metrics per NFE on sfd evaluate's seeds and labels (fast recipe ranking).")
final class StudentQualityCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--student", required = true, description = "Student ONNX file (from sfd distill).")
    Path student;

    @Option(names = "--nfe", split = ",", defaultValue = "2,3,4,5", description = "NFE values (default ${DEFAULT-VALUE}).")
    List<Integer> nfe;

    @Option(names = "--samples", defaultValue = "1000", description = "Samples per NFE (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed-base", defaultValue = "1000000", description = "Seeds seed-base … seed-base+samples-1 "
            + "(default ${DEFAULT-VALUE}, as sfd evaluate).")
    long seedBase;

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
        StudentCheckpoint cp = StudentCheckpoint.load(student);
        SampleQuality quality = EvaluateCommand.qualityFor(cp.metadata().dataset(), threads);
        try (StudentSampler sampler = new StudentSampler(cp, SessionConfig.cpu(threads))) {
            QualityEvaluator probe = new QualityEvaluator(cp.metadata().dataset(), null, sampler, quality)
                    .samples(samples).seedBase(seedBase);
            long[] seeds = probe.seeds();
            int[] labels = probe.labels();
            w.printf(Locale.ROOT, "%s: %d samples, seeds from %d%n", student, samples, seedBase);
            w.printf(Locale.ROOT, "%-5s %s%n", "NFE", String.join("  ", quality.metrics()));
            for (int k : nfe) {
                List<FloatTensor> parts = new ArrayList<>();
                for (int from = 0; from < seeds.length; from += 1000) {
                    int to = Math.min(seeds.length, from + 1000);
                    parts.add(sampler.sampleAtNfe(Arrays.copyOfRange(seeds, from, to),
                            labels == null ? null : Arrays.copyOfRange(labels, from, to), k, 1.0).samples());
                }
                double[] v = quality.measure(QualityEvaluator.concat(parts), labels);
                StringBuilder sb = new StringBuilder();
                for (double d : v) {
                    sb.append(String.format(Locale.ROOT, "  %.6g", d));
                }
                w.printf(Locale.ROOT, "%-5d%s%n", k, sb);
                w.flush();
            }
            if (teacherNfe != null && !teacherNfe.isEmpty()) {
                dev.sfd.pipeline.TeacherSource src = dev.sfd.pipeline.TeacherSource.resolve(
                        teacher != null ? teacher : cp.metadata().dataset());
                var schedule = dev.sfd.core.distill.ScheduleSpec.polynomial(src.info().tMin(), src.info().tMax()).schedule();
                try (dev.sfd.core.diffusion.NoiseModel t = src.open(threads)) {
                    for (int k : teacherNfe) {
                        var ts = dev.sfd.core.distill.quality.TeacherSampler.atNfe("dpm++3m", k, schedule);
                        List<FloatTensor> parts = new ArrayList<>();
                        for (int from = 0; from < seeds.length; from += 1000) {
                            int to = Math.min(seeds.length, from + 1000);
                            long[] s = Arrays.copyOfRange(seeds, from, to);
                            var c = labels == null ? dev.sfd.core.diffusion.Condition.none()
                                    : dev.sfd.core.diffusion.Condition.labels(Arrays.copyOfRange(labels, from, to));
                            FloatTensor xN = dev.sfd.core.diffusion.trajectory.SeededNoise.gaussian(s,
                                    cp.metadata().sampleShape(), ts.timestamps()[0]);
                            parts.add(ts.solver().solve(t, xN, ts.timestamps(), c));
                        }
                        double[] v = quality.measure(QualityEvaluator.concat(parts), labels);
                        StringBuilder sb = new StringBuilder();
                        for (double d : v) {
                            sb.append(String.format(Locale.ROOT, "  %.6g", d));
                        }
                        w.printf(Locale.ROOT, "teacher %s%s%n", ts.describe(), sb);
                        w.flush();
                    }
                }
            }
        } finally {
            if (quality instanceof AutoCloseable c) {
                c.close();
            }
        }
        return 0;
    }
}
