package dev.sfd.cli;

import dev.sfd.pipeline.TeacherSource;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.mixture.Mixture2d;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentSampler;
import dev.sfd.core.distill.baselines.BaselineMethod;
import dev.sfd.core.distill.baselines.SecondStage;
import dev.sfd.core.distill.quality.Bootstrap;
import dev.sfd.core.distill.quality.ComparisonGrid;
import dev.sfd.core.distill.quality.EvaluationSeeds;
import dev.sfd.core.distill.quality.MetricPlot;
import dev.sfd.core.distill.quality.MixtureQuality;
import dev.sfd.core.distill.quality.QualityEvaluator;
import dev.sfd.core.distill.quality.QualityReport;
import dev.sfd.core.distill.quality.SampleQuality;
import dev.sfd.core.distill.quality.ShapesQuality;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.teachers.ShapesLabels;
import dev.sfd.core.distill.quality.FeatureExtractor;
import dev.sfd.core.distill.quality.TeacherReferenceQuality;
import dev.sfd.core.onnx.SessionConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd evaluate}: the quality report of a student against its teacher — rows NFE, columns
 * the teacher's Euler, Heun, DPM-Solver++(3M) (and AFS + DPM-Solver++(3M)) at equal NFE, the
 * student, and the teacher at high NFE — on the same seeds, plus a PNG plot of the primary metric
 * against NFE. By default on the held-out evaluation seeds, with a bootstrap interval on FD.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Compare a student with its teacher's solvers at equal NFE and with the teacher at high NFE.",
            "Default seeds: the held-out set (seeds from " + EvaluationSeeds.HELD_OUT_BASE + "), the one for reported "
                    + "figures; --seed-set development for recipe search (seeds from "
                    + EvaluationSeeds.DEVELOPMENT_BASE + "). FD is printed with its 95 %% bootstrap interval."})
final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    TeacherSelection selection;

    @Mixin
    EvaluationSeedOptions seedOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--student", required = true, description = "Student ONNX file (from sfd distill).")
    Path student;

    @Option(names = "--nfe", split = ",", defaultValue = "2,3,4,5", description = "NFE rows (default ${DEFAULT-VALUE}).")
    List<Integer> nfe;

    @Option(names = "--samples", defaultValue = "4000", description = "Samples per cell (default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--high-nfe", defaultValue = "64", description = "NFE of the high-quality teacher reference (default ${DEFAULT-VALUE}).")
    int highNfe;

    @Option(names = "--plot", description = "PNG plot of the primary metric vs NFE (default: <student>-<metric>.png).")
    Path plot;

    @Option(names = "--reference-nfe", defaultValue = "128", description = "Custom teachers: NFE of the converged teacher "
            + "(DPM-Solver++(3M)) that is the reference (default ${DEFAULT-VALUE}).")
    int referenceNfe;

    @Option(names = "--features", description = "Custom teachers: an ONNX feature extractor (samples [B, …] -> features "
            + "[B, F]); adds the Fréchet distance in its feature space (FD-features).")
    Path features;

    @Option(names = "--grid", description = "Image data sets: PNG grid of teacher vs student images for the same "
            + "prompts and seeds (default: <student>-grid.png).")
    Path grid;

    @Option(names = "--omegas", split = ",", description = "Image data sets: guidance scales ω at which the student "
            + "is measured at the lowest NFE (default 1,3 for shapes: prompt accuracy; 1,2,4 for a text-to-image "
            + "pipeline: a guidance sweep beside the guided teacher).")
    List<Double> omegas;

    @Option(names = "--guidance-solver", defaultValue = "dpm++2m", description = "Text-to-image: the teacher solver "
            + "guided beside the student in the guidance sweep (default ${DEFAULT-VALUE}, the best at NFE 2 there).")
    String guidanceSolver;

    /** The guidance scales asked for, or {@code fallback} when none were. */
    List<Double> omegas(List<Double> fallback) {
        return omegas == null || omegas.isEmpty() ? fallback : omegas;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (TextToImageDistill.applies(Path.of(selection.teacher))) { // a pipeline folder or its .teacher.json
            return TextToImageEvaluate.run(this, w);
        }
        StudentCheckpoint cp = StudentCheckpoint.load(student);
        StudentMetadata meta = cp.metadata();
        TeacherSource source = TeacherSource.resolve(selection.teacher);
        Map<String, String> props = cp.model().metadata();
        String method = props.getOrDefault(BaselineMethod.METADATA_KEY, "sfd");
        String distilledFrom = props.getOrDefault(SecondStage.ORIGINAL_TEACHER_SHA256, meta.teacherSha256());
        w.printf(Locale.ROOT, "student %s: method %s%s%n", student.getFileName(), method,
                props.containsKey(BaselineMethod.FIRST_STAGE_SHA256) ? " (teacher: first-stage student sha256 "
                        + props.get(BaselineMethod.FIRST_STAGE_SHA256).substring(0, 12) + "…, N1 = "
                        + props.get(BaselineMethod.FIRST_STAGE_STEPS) + ")" : "");
        if (!source.info().sha256().equals(distilledFrom)) {
            w.println("warning: teacher " + source.id() + " (sha256 " + source.info().sha256().substring(0, 12)
                    + "…) is not the one the student was distilled from (" + meta.teacherId() + ", "
                    + meta.teacherSha256().substring(0, 12) + "…)");
        }
        boolean builtin = isBuiltinTeacher(w, source, meta.dataset());
        EvaluationSeeds seeds = seedOptions.seeds(EvaluationSeeds.Kind.HELD_OUT, samples);
        Bootstrap bootstrap = seedOptions.bootstrap(builtin ? Bootstrap.DEFAULT_REPLICATES : 0);
        w.println("evaluation seeds: " + seeds.describe());
        FeatureExtractor extractor = features == null ? null : new FeatureExtractor(features, SessionConfig.cpu(selection.threads));
        try (NoiseModel t = source.open(selection.threads);
                StudentSampler sampler = new StudentSampler(cp, SessionConfig.cpu(selection.threads))) {
            long t0 = System.nanoTime();
            SampleQuality quality;
            String dataset = meta.dataset();
            if (builtin) {
                quality = qualityFor(meta.dataset(), selection.threads);
            } else {
                QualityEvaluator probe = new QualityEvaluator(dataset, t, sampler, null).seeds(seeds);
                TeacherReferenceQuality ref = TeacherReferenceQuality.build(t, meta.schedule().schedule(),
                        meta.sampleShape(), probe.seeds(), probe.labels(), referenceNfe, 500, extractor);
                w.println(ref.description());
                quality = ref;
                dataset = meta.dataset() + " (custom teacher)";
            }
            QualityEvaluator evaluator = new QualityEvaluator(dataset, t, sampler, quality).seeds(seeds)
                    .highNfe(highNfe).bootstrap(bootstrap);
            QualityReport report = evaluator.evaluate(nfe);
            w.print(report.format());
            String metric = quality.metrics().get(0);
            Path png = plot != null ? plot : sibling(student, "-" + metric.toLowerCase(Locale.ROOT) + ".png");
            MetricPlot.write(report, metric, png);
            w.printf(Locale.ROOT, "plot: %s (and %s)%n", png, png.resolveSibling(png.getFileName().toString().replaceFirst("\\.png$", "") + ".svg"));
            if (builtin && meta.sampleShape().length == 3 && meta.classes() > 0) {
                guidanceSweep(w, sampler, evaluator, quality);
                Path gridPng = grid != null ? grid : sibling(student, "-grid.png");
                int[] labels = gridLabels(meta.classes());
                List<String> names = java.util.Arrays.stream(labels).mapToObj(this::labelName).toList();
                long[] gridSeeds = new long[labels.length];
                for (int i = 0; i < gridSeeds.length; i++) {
                    gridSeeds[i] = seeds.seed(7919 * i % seeds.samples());
                }
                ComparisonGrid.build(t, sampler, labels, names, gridSeeds, nfe, highNfe, 4).writePng(gridPng);
                w.printf(Locale.ROOT, "grid: %s (columns: T<nfe> = teacher DPM-Solver++(3M), S<nfe> = student)%n", gridPng);
            }
            w.printf(Locale.ROOT, "evaluation took %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (quality instanceof AutoCloseable c) {
                c.close();
            }
        } finally {
            if (extractor != null) {
                extractor.close();
            }
        }
        return 0;
    }

    /**
     * Whether the student's data set is a built-in one AND the teacher is that built-in teacher
     * (same bytes): only then are the data set's metrics and reference meaningful. Any other file
     * is evaluated against itself.
     */
    private static boolean isBuiltinTeacher(PrintWriter w, TeacherSource source, String dataset) {
        if (!TeacherSource.BUILTIN.contains(dataset)) {
            return false;
        }
        String builtinSha;
        try {
            builtinSha = TeacherSource.resolve(dataset).info().sha256();
        } catch (RuntimeException e) {
            builtinSha = "";
        }
        if (builtinSha.equals(source.info().sha256())) {
            return true;
        }
        w.println("note: teacher " + source.id() + " claims data set '" + dataset + "' but is not the built-in '" + dataset
                + "' teacher: evaluating against the teacher itself, not the data set's reference");
        return false;
    }

    /** Prompt accuracy of the student at the lowest NFE for each ω (ω ≠ 1: one batched call per step with ∅ = −1). */
    private void guidanceSweep(PrintWriter w, StudentSampler sampler, QualityEvaluator evaluator, SampleQuality quality) {
        int low = nfe.get(0);
        int acc = quality.metrics().indexOf("prompt-acc");
        w.printf(Locale.ROOT, "guidance sweep (student, NFE %d per branch, %d samples; %s):%n", low, samples,
                evaluator.seedSet().describe());
        w.printf(Locale.ROOT, "%-8s %10s %10s%n", "omega", "FD", "prompt-acc");
        long[] seeds = evaluator.seeds();
        int[] labels = evaluator.labels();
        for (double omega : omegas(List.of(1.0, 3.0))) {
            java.util.List<dev.sfd.core.tensor.FloatTensor> parts = new java.util.ArrayList<>();
            for (int from = 0; from < seeds.length; from += 1000) {
                int to = Math.min(seeds.length, from + 1000);
                parts.add(sampler.sampleAtNfe(java.util.Arrays.copyOfRange(seeds, from, to),
                        java.util.Arrays.copyOfRange(labels, from, to), low, omega).samples());
            }
            double[] v = quality.measure(dev.sfd.core.tensor.FloatTensor.concat(parts), labels);
            w.printf(Locale.ROOT, "%-8.2f %10.4f %10.4f%n", omega, v[0], acc < 0 ? Double.NaN : v[acc]);
        }
    }

    /** Labels shown in the grid: eight prompts spread over the classes. */
    private static int[] gridLabels(int classes) {
        int[] l = new int[Math.min(8, classes)];
        for (int i = 0; i < l.length; i++) {
            l[i] = (int) ((long) i * classes / l.length + (classes / l.length) / 2) % classes;
        }
        return l;
    }

    private String labelName(int label) {
        try {
            return ShapesLabels.condition(label).canonicalText();
        } catch (RuntimeException e) {
            return "label " + label;
        }
    }

    static SampleQuality qualityFor(String dataset, int threads) {
        return switch (dataset) {
            case "mixture2d" -> new MixtureQuality(Mixture2d.ring().mixture());
            case "shapes" -> new ShapesQuality(ShapesClassifier.openBuiltin(SessionConfig.cpu(threads)), 2000);
            default -> throw new IllegalArgumentException("no quality metrics for data set '" + dataset
                    + "' (known: mixture2d, shapes)");
        };
    }

    static Path sibling(Path file, String suffix) {
        String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        Path parent = file.toAbsolutePath().getParent();
        return parent.resolve(name + suffix);
    }
}
