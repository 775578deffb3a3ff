package dev.sfd.cli;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.onnx.OnnxNoiseModel;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.metrics.EvaluationSet;
import dev.sfd.core.metrics.Mixture2dEvaluation;
import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.metrics.ShapesEvaluation;
import dev.sfd.core.metrics.ShapesSampleGrid;
import dev.sfd.core.metrics.SolverSampler;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.BuiltinTeachers;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd teacher evaluate}: a built-in teacher's quality with an ODE solver, optionally a sample
 * grid; for an imported (custom) teacher, the solver's distance to the teacher's own converged
 * samples (FD and sliced Wasserstein in sample space).
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Sample a built-in teacher on the fixed evaluation seeds and print its quality.")
final class TeacherEvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", description = "mixture2d or shapes (default: the sfd.dataset of --teacher; 'custom' "
            + "for imported teachers, which are measured against themselves).")
    String dataset;

    @Option(names = "--reference-nfe", defaultValue = "128", description = "Custom teachers: NFE of the converged "
            + "DPM-Solver++(3M) reference (default ${DEFAULT-VALUE}).")
    int referenceNfe;

    @Option(names = "--teacher", description = "Evaluate this ONNX file (checksum and contract checked) instead of the "
            + "built-in teacher of --dataset, e.g. a snapshot written by 'sfd teacher train --snapshot-every'.")
    Path teacherFile;

    @Option(names = "--solver", defaultValue = "heun", description = "Solver name (default: heun).")
    String solver;

    @Option(names = "--steps", defaultValue = "18", description = "Solver steps (default 18: 36 Heun NFE).")
    int steps;

    @Option(names = "--samples", defaultValue = "2000", description = "mixture2d: samples (default 2000).")
    int samples;

    @Option(names = "--seeds-per-prompt", defaultValue = "32", description = "shapes: seeds per prompt (default 32).")
    int seedsPerPrompt;

    @Option(names = "--guidance", defaultValue = "1", description = "Classifier-free guidance ω (default 1 = none).")
    double guidance;

    @Option(names = "--grid", description = "shapes: also write a PNG grid (rows = prompts, columns = seeds).")
    Path grid;

    @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime threads (default 2).")
    int threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        SessionConfig session = SessionConfig.cpu(threads);
        if (dataset == null) {
            if (teacherFile == null) {
                throw new IllegalArgumentException("give --dataset (mixture2d, shapes) or --teacher FILE");
            }
            dataset = dev.sfd.core.onnx.OnnxModel.load(teacherFile).metadata()
                    .getOrDefault(dev.sfd.core.teachers.TeacherMetadata.DATASET, "custom");
        }
        if (!dev.sfd.pipeline.TeacherSource.BUILTIN.contains(dataset)) {
            return custom(w, session);
        }
        try (OnnxNoiseModel teacher = teacherFile != null ? BuiltinTeachers.open(teacherFile, session)
                : BuiltinTeachers.open(dataset, session)) {
            long[] shape = dataset.equals("shapes") ? new long[] {3, 16, 16} : new long[] {2};
            SolverSampler sampler = SolverSampler.edm(teacher, Solvers.byName(solver), steps, 0.002, 80, shape)
                    .withGuidance(guidance);
            w.printf("%s teacher, %s, %d steps, %d NFE, guidance %.2f%n", dataset, solver, steps, sampler.nfe(), guidance);
            long start = System.nanoTime();
            if (dataset.equals("mixture2d")) {
                EvaluationSet set = EvaluationSet.mixture2d(samples);
                w.println("conditional (modes in turn): " + Mixture2dEvaluation.of(set.run(sampler, 500)));
                w.println("unconditional (∅):          " + Mixture2dEvaluation.of(
                        set.run((seeds, c) -> sampler.sample(seeds, Condition.repeatLabel(-1, seeds.length)), 500)));
                w.println("exact samples, same n:       " + Mixture2dEvaluation.ofExactSamples(samples, 99));
            } else {
                try (ShapesClassifier classifier = ShapesClassifier.openBuiltin(session)) {
                    EvaluationSet set = EvaluationSet.shapes(EvaluationSet.SHAPES_PROMPTS.size(), seedsPerPrompt);
                    w.println("prompts " + EvaluationSet.SHAPES_PROMPTS + ": " + ShapesEvaluation.of(classifier, set, sampler, 64));
                    w.printf("real images vs real reference: FID %.3f%n", dev.sfd.core.metrics.ShapesFid.toReal(classifier,
                            dev.sfd.core.metrics.ShapesFid.realImages(set.size(), 123), ShapesEvaluation.REAL_IMAGES));
                }
                if (grid != null) {
                    long[] seeds = {1, 2, 3, 4, 5, 6, 7, 8};
                    if (grid.toAbsolutePath().getParent() != null) {
                        Files.createDirectories(grid.toAbsolutePath().getParent());
                    }
                    ShapesSampleGrid.render(sampler, ShapesSampleGrid.PROMPTS, seeds, 4).writePng(grid);
                    w.println("wrote " + grid);
                }
            }
            w.printf("took %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
        w.flush();
        return 0;
    }

    /** An imported teacher: --solver at --steps against the same teacher at --reference-nfe, on the same seeds. */
    private int custom(PrintWriter w, SessionConfig session) {
        if (teacherFile == null) {
            throw new IllegalArgumentException("--dataset " + dataset + " needs the teacher file: --teacher FILE");
        }
        dev.sfd.pipeline.TeacherSource source = dev.sfd.pipeline.TeacherSource.resolve(teacherFile.toString());
        dev.sfd.core.distill.TeacherInfo info = source.info().requireComplete();
        var schedule = dev.sfd.core.distill.ScheduleSpec.polynomial(info.tMin(), info.tMax()).schedule();
        long[] seeds = new long[samples];
        for (int i = 0; i < samples; i++) {
            seeds[i] = 1_000_000L + i;
        }
        int[] labels = null;
        if (info.classes() > 0) {
            labels = new int[samples];
            for (int i = 0; i < samples; i++) {
                labels[i] = i % info.classes();
            }
        }
        long start = System.nanoTime();
        try (dev.sfd.core.diffusion.NoiseModel teacher = source.open(session)) {
            var quality = dev.sfd.core.distill.quality.TeacherReferenceQuality.build(teacher, schedule, info.sampleShape(),
                    seeds, labels, referenceNfe, 500, null);
            var sampler = new dev.sfd.core.distill.quality.TeacherSampler(Solvers.byName(solver),
                    schedule.timestampsDescending(steps));
            java.util.List<dev.sfd.core.tensor.FloatTensor> parts = new java.util.ArrayList<>();
            for (int from = 0; from < samples; from += 500) {
                int to = Math.min(samples, from + 500);
                long[] s = java.util.Arrays.copyOfRange(seeds, from, to);
                Condition c = labels == null ? Condition.none() : Condition.labels(java.util.Arrays.copyOfRange(labels, from, to));
                parts.add(sampler.solver().solve(teacher, dev.sfd.core.diffusion.trajectory.SeededNoise.gaussian(s,
                        info.sampleShape(), sampler.timestamps()[0]), sampler.timestamps(), c));
            }
            double[] v = quality.measure(dev.sfd.core.tensor.FloatTensor.concat(parts), labels);
            w.println(quality.description());
            w.printf(java.util.Locale.ROOT, "%s teacher %s, %s, %d steps (%d NFE), %d samples: FD %.5f, SW %.5f%n", dataset,
                    source.id(), solver, steps, sampler.solver().nfe(sampler.timestamps()), samples, v[0], v[1]);
            w.printf(java.util.Locale.ROOT, "took %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
        w.flush();
        return 0;
    }
}
