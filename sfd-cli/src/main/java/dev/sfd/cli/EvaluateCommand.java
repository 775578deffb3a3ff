package dev.sfd.cli;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.quality.MetricPlot;
import dev.sfd.core.distill.quality.MixtureQuality;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.distill.quality.SampleQuality;
import dev.sfd.core.onnx.SessionConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd evaluate}: the quality report of a student against its teacher — rows NFE, columns
 * the teacher's Euler, Heun, DPM-Solver++(3M) (and AFS + DPM-Solver++(3M)) at equal NFE, the
 * student, and the teacher at high NFE — on the same seeds, plus a PNG plot of the primary metric
 * against NFE.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Compare a student with its teacher's solvers at equal NFE and with the teacher at high NFE.")
final class EvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--student", required = true, description = "Student ONNX file (from sfd distill).")
    Path student;

    @Option(names = "--teacher", required = true, description = "mixture2d | shapes | path to the teacher .onnx.")
    String teacher;

    @Option(names = "--nfe", split = ",", defaultValue = "2,3,4,5", description = "NFE rows (default ${DEFAULT-VALUE}).")
    List<Integer> nfe;

    @Option(names = "--samples", defaultValue = "4000", description = "Samples per cell (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--high-nfe", defaultValue = "64", description = "NFE of the high-quality teacher reference (default ${DEFAULT-VALUE}).")
    int highNfe;

    @Option(names = "--seed-base", defaultValue = "1000000", description = "Evaluation seeds seed-base … seed-base+samples-1.")
    long seedBase;

    @Option(names = "--plot", description = "PNG plot of the primary metric vs NFE (default: <student>-<metric>.png).")
    Path plot;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        StudentCheckpoint cp = StudentCheckpoint.load(student);
        StudentMetadata meta = cp.metadata();
        TeacherSource source = TeacherSource.resolve(teacher);
        if (!source.info().sha256().equals(meta.teacherSha256())) {
            w.println("warning: teacher " + source.id() + " (sha256 " + source.info().sha256().substring(0, 12)
                    + "…) is not the one the student was distilled from (" + meta.teacherId() + ", "
                    + meta.teacherSha256().substring(0, 12) + "…)");
        }
        SampleQuality quality = qualityFor(meta.dataset());
        try (NoiseModel t = source.open(threads);
                StudentSampler sampler = new StudentSampler(cp, SessionConfig.cpu(threads))) {
            long t0 = System.nanoTime();
            QualityReport report = new QualityEvaluator(meta.dataset(), t, sampler, quality).samples(samples)
                    .highNfe(highNfe).seedBase(seedBase).evaluate(nfe);
            w.print(report.format());
            String metric = quality.metrics().get(0);
            Path png = plot != null ? plot : sibling(student, "-" + metric.toLowerCase(Locale.ROOT) + ".png");
            MetricPlot.write(report, metric, png);
            w.printf(Locale.ROOT, "plot: %s; evaluation took %.1f s%n", png, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    static SampleQuality qualityFor(String dataset) {
        return switch (dataset) {
            case "mixture2d" -> new MixtureQuality(Mixture2d.ring().mixture());
            default -> throw new IllegalArgumentException("no quality metrics for data set '" + dataset
                    + "' (known: mixture2d)");
        };
    }

    static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve(name + suffix);
    }
}
