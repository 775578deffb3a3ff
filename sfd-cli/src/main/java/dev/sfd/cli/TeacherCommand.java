package dev.sfd.cli;

import dev.sfd.core.metrics.ShapesClassifier;
import dev.sfd.core.metrics.ShapesClassifierTrainer;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.teachers.BuiltinTeachers;
import dev.sfd.core.teachers.Checksums;
import dev.sfd.core.teachers.TeacherContract;
import dev.sfd.core.teachers.TeacherPretrainer;
import dev.sfd.core.teachers.TeacherRecipe;
import dev.sfd.core.teachers.imports.text2image.TextToImageFolder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code sfd teacher}: pretrain the built-in teachers and the shapes classifier, inspect teacher files. */
@Command(name = "teacher", mixinStandardHelpOptions = true,
        description = "Diffusion teachers: train the built-in ones, import your own ONNX export, info, classifier.",
        subcommands = {TeacherCommand.Train.class, TeacherCommand.Info.class, TeacherImportCommand.class, TeacherCommand.Classifier.class,
                TeacherEvaluateCommand.class, TeacherStabilityCommand.class})
final class TeacherCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code sfd teacher train}: pretrains a teacher and writes .onnx + .sha256. */
    @Command(name = "train", mixinStandardHelpOptions = true,
            description = "Pretrain a teacher with the denoising loss and write <out> and <out>.sha256.")
    static final class Train implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--dataset", required = true, description = "mixture2d or shapes.")
        String dataset;

        @Option(names = "--steps", description = "Optimiser steps (default: the recipe's).")
        Integer steps;

        @Option(names = "--batch", description = "Samples per step (default: the recipe's).")
        Integer batch;

        @Option(names = "--lr", description = "Adam learning rate (default: the recipe's).")
        Double lr;

        @Option(names = "--seed", description = "Seed of weights and batches (default: the recipe's).")
        Long seed;

        @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime intra-op threads (default: 2).")
        int threads;

        @Option(names = "--out", description = "Output file (default: models/teachers/<dataset>.onnx in the repository).")
        Path out;

        @Option(names = "--snapshot-every", defaultValue = "0",
                description = "Also write <out>.step<N>.onnx every N steps, to evaluate a long run as it goes (default 0: no).")
        int snapshotEvery;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            TeacherRecipe recipe = TeacherRecipe.defaults(dataset);
            recipe = steps == null ? recipe : recipe.withSteps(steps);
            recipe = batch == null ? recipe : recipe.withBatch(batch);
            recipe = lr == null ? recipe : recipe.withLearningRate(lr);
            recipe = seed == null ? recipe : recipe.withSeed(seed);
            w.println("recipe: " + recipe.toJson());
            w.flush();
            Path file = out != null ? out : BuiltinTeachers.modelsDir().resolve("teachers").resolve(dataset + ".onnx");
            TeacherPretrainer.Result r = TeacherPretrainer.train(recipe, SessionConfig.cpu(threads), true, snapshotEvery,
                    snap -> Checksums.writeWithChecksum(file.resolveSibling(
                            file.getFileName().toString().replaceFirst("\\.onnx$", "") + ".step" + snap.step() + ".onnx"),
                            snap.model().toBytes()));
            String sha = Checksums.writeWithChecksum(file, r.model().toBytes());
            w.printf("trained %s: %d steps in %.1f s (%.0f samples/s), loss %.4f -> %.4f%n", dataset, recipe.steps(),
                    r.seconds(), r.samplesPerSecond(), r.firstLoss(), r.finalLoss());
            w.printf("wrote %s (%d parameters) sha256 %s%n", file, r.model().parameterCount(), sha);
            w.flush();
            return 0;
        }
    }

    /** {@code sfd teacher info}: contract check and metadata of a teacher file. */
    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Print a teacher's inputs, outputs, metadata and contract check.")
    static final class Info implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", description = "Teacher .onnx file, a built-in name (mixture2d, shapes), or a diffusers "
                + "ONNX text-to-image pipeline folder.")
        String file;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            if (TextToImageFolder.looksLike(Path.of(file))) {
                return pipeline(w, Path.of(file));
            }
            Path path = file.endsWith(".onnx") ? Path.of(file) : BuiltinTeachers.file(file);
            OnnxModel model = OnnxModel.load(path);
            w.println("file: " + path);
            if (Checksums.companion(path).toFile().isFile()) {
                try {
                    Checksums.readVerified(path);
                    w.println("checksum: OK (" + Checksums.companion(path).getFileName() + ")");
                } catch (IllegalStateException e) {
                    w.println("checksum: " + e.getMessage());
                }
            } else {
                w.println("checksum: no " + Checksums.companion(path).getFileName());
            }
            w.print(TeacherContract.describe(model));
            w.flush();
            return TeacherContract.problems(model).isEmpty() ? 0 : 2;
        }

        /** A pipeline folder: its details and every unsupported op of every part; 2 when anything blocks distillation. */
        private static int pipeline(PrintWriter w, Path folder) {
            TextToImageInspection t = TextToImageInspection.of(folder, TextToImageImport.CHECK_SESSIONS);
            t.printDetails(w);
            t.printCoverage(w);
            var problems = t.problems();
            w.println("distillable: " + (problems.isEmpty() ? "yes" : "no, " + problems.size() + " problem(s):"));
            problems.forEach(p -> w.println("  - " + p));
            w.flush();
            return problems.isEmpty() ? 0 : 2;
        }
    }

    /** {@code sfd teacher classifier}: reproduces the shapes classifier used by the metrics. */
    @Command(name = "classifier", mixinStandardHelpOptions = true,
            description = "Train the shapes colour/shape classifier (FID features, prompt accuracy).")
    static final class Classifier implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--steps", description = "Optimiser steps (default: the recipe's).")
        Integer steps;

        @Option(names = "--seed", description = "Seed (default: the recipe's).")
        Long seed;

        @Option(names = "--threads", defaultValue = "2", description = "ONNX Runtime intra-op threads (default: 2).")
        int threads;

        @Option(names = "--out", description = "Output file (default: models/classifiers/shapes-classifier.onnx).")
        Path out;

        @Override
        public Integer call() {
            PrintWriter w = spec.commandLine().getOut();
            ShapesClassifierTrainer.Recipe d = ShapesClassifierTrainer.Recipe.defaults();
            ShapesClassifierTrainer.Recipe recipe = new ShapesClassifierTrainer.Recipe(seed == null ? d.seed() : seed,
                    steps == null ? d.steps() : steps, d.batch(), d.lr());
            w.println("recipe: " + recipe.toJson());
            w.flush();
            long start = System.nanoTime();
            OnnxModel model = ShapesClassifierTrainer.train(recipe, SessionConfig.cpu(threads));
            Path file = out != null ? out : BuiltinTeachers.modelsDir().resolve("classifiers").resolve(ShapesClassifier.FILE);
            String sha = Checksums.writeWithChecksum(file, model.toBytes());
            w.printf("trained in %.1f s; held-out accuracy %.4f%n", (System.nanoTime() - start) / 1e9,
                    ShapesClassifierTrainer.heldOutAccuracy(model, 2000, SessionConfig.cpu(threads)));
            w.printf("wrote %s sha256 %s%n", file, sha);
            w.flush();
            return 0;
        }
    }
}
