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

/** {@code sfd teacher evaluate}: a built-in teacher's quality with an ODE solver, optionally a sample grid. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Sample a built-in teacher on the fixed evaluation seeds and print its quality.")
final class TeacherEvaluateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dataset", required = true, description = "mixture2d or shapes.")
    String dataset;

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
}
