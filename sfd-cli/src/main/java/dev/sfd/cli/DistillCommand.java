package dev.sfd.cli;

import dev.sfd.pipeline.TeacherSource;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.ScheduleSpec;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdDistiller;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.TeacherInfo;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sfd distill}: SFD distillation in process (SFD.md Algorithm 2), writing a student ONNX
 * file whose metadata says how to sample with it. Step counts are given either as student steps N
 * ({@code --steps-set}) or as NFE ({@code --nfe-set}; with AFS, N = NFE + 1).
 */
@Command(name = "distill", mixinStandardHelpOptions = true,
        description = "Distil a teacher into a few-step student (SFD, Algorithm 2) and write student.onnx.")
final class DistillCommand implements Callable<Integer> {

    @Mixin
    TeacherGraphOptions graph;

    @Mixin
    TeacherSelection selection;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", description = "Student ONNX file to write (required unless only --save-trajectories).")
    Path out;

    static final class Counts {
        @Option(names = "--steps-set", split = ",", description = "Student steps N to train (Γ(N) has N+1 timestamps), "
                + "e.g. 3,4,5,6. With AFS a student at N steps spends N-1 NFE.")
        List<Integer> steps;

        @Option(names = "--nfe-set", split = ",", description = "NFE values to train, e.g. 2,3,4,5 (N = NFE+1 with AFS, "
                + "N = NFE without). Default: 2,3,4,5.")
        List<Integer> nfe;
    }

    @ArgGroup(exclusive = true)
    Counts counts = new Counts();

    @Option(names = "--budget", description = "Distinct teacher trajectories to train on (default: the teacher's recipe).")
    Long budget;

    @Option(names = "--batch", description = "Trajectories per batch (default: the teacher's recipe).")
    Integer batch;

    @Option(names = "--lr", description = "Adam learning rate (default: the teacher's recipe).")
    Double lr;

    @Option(names = "--solver", description = "Teacher solver (default: the teacher's recipe; dpm++3m for other teachers).")
    String solver;

    @Option(names = "--k", description = "Teacher sub-steps K per student step (default: the teacher's recipe).")
    Integer k;

    @Option(names = "--schedule", defaultValue = "polynomial", description = "polynomial | time-uniform | logsnr-uniform.")
    String schedule;

    @Option(names = "--rho", defaultValue = "7", description = "ρ of the polynomial schedule (default ${DEFAULT-VALUE}).")
    double rho;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-afs", description = "Train without the analytical first step (NFE = N).")
    boolean noAfs;

    @Option(names = "--no-progress", description = "No progress bar.")
    boolean noProgress;

    @Option(names = "--method", defaultValue = "sfd", description = "sfd (Algorithm 2) | td (trajectory distillation, "
            + "Algorithm 1: noised data points) | cd (consistency distillation); same engine, budget and student "
            + "initialisation (default ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--cd-ema", defaultValue = "0.95", description = "--method cd: EMA rate of the target network "
            + "(0 = the student with stop-gradient; default ${DEFAULT-VALUE}).")
    double cdEma;

    @Option(names = "--cd-target-every", defaultValue = "1", description = "--method cd: rebuild the target network "
            + "from its EMA weights every this many Adam steps (default ${DEFAULT-VALUE}).")
    int cdTargetEvery;

    @Option(names = "--second-stage", description = "SFD's second stage: --teacher is a first-stage student file; it is "
            + "sampled with Euler over --first-stage-steps of its steps and the new student takes one step (NFE 1).")
    boolean secondStage;

    @Option(names = "--first-stage-steps", defaultValue = "0", description = "--second-stage: the first student's N1 "
            + "used as the teacher (a multiple of 2 with AFS; 0 = its largest such trained N).")
    int firstStageSteps;

    @Option(names = "--loss", description = "Student step loss: l1 (paper) | l2 | pseudo-huber (default: the teacher's recipe).")
    String loss;

    @Option(names = "--huber-c", defaultValue = "0.00054", description = "pseudo-Huber c per sqrt(element): "
            + "c = huber-c * sqrt(D) (default ${DEFAULT-VALUE}).")
    double huberC;

    @Option(names = "--lr-schedule", description = "step (lr/10 after half the budget) | cosine | constant "
            + "(default: the teacher's recipe).")
    String lrSchedule;

    @Option(names = "--ema-half-life", description = "Half-life in optimiser steps of the EMA of the student's weights "
            + "that is saved (0 = no EMA, the last weights; default: the teacher's recipe).")
    Double emaHalfLife;

    @Option(names = "--carry-history", arity = "0..1", fallbackValue = "true", description = "true|false: the teacher's "
            + "multistep solver keeps its history across student timestamps (one pass over the K-refined grid) instead of "
            + "restarting at each (default: the teacher's recipe).")
    Boolean carryHistory;

    @Option(names = "--save-trajectories", description = "Generate the budget's teacher trajectories into this file "
            + "(teacher time reported alone); without --out, stop there; with --out, then train from it.")
    Path saveTrajectories;

    @Option(names = "--trajectories", description = "Train from stored teacher trajectories (a --save-trajectories "
            + "file) instead of running the teacher; the budget becomes the file's trajectories x --epochs.")
    Path trajectories;

    @Option(names = "--epochs", description = "Passes over the trajectories (default: the teacher's recipe); with more "
            + "than one and no --trajectories, the budget's trajectories are generated once into a temporary file and replayed.")
    Integer epochs;

    @Override
    public Integer call() throws java.io.IOException {
        PrintWriter w = spec.commandLine().getOut();
        if (secondStage) { // --teacher is a first-stage student: its own metadata gives schedule, AFS and data set
            dev.sfd.core.distill.DistillRecipe reference = dev.sfd.core.distill.DistillRecipe.forTeacher("");
            return DistillMethods.secondStage(w, Path.of(selection.teacher), out, firstStageSteps,
                    budget != null ? budget : reference.budget(), batch != null ? batch : reference.batch(),
                    lr != null ? lr : reference.learningRate(), seed, selection.threads, !noProgress);
        }
        if (TextToImageDistill.applies(Path.of(selection.teacher))) { // a pipeline folder or its .teacher.json
            return TextToImageDistill.run(this, w);
        }
        TeacherSource source = TeacherSource.resolve(selection.teacher);
        TeacherInfo info = source.info();
        if (graph.sampleShape != null) {
            info = info.withSampleShape(TeacherInfo.parseShape(graph.sampleShape));
        }
        if (graph.classes != null) {
            info = info.withClasses(graph.classes);
        }
        if (graph.inject != null) {
            info = info.withTimeEmbedding(graph.inject.isBlank() || graph.inject.equals("none") ? null : graph.inject, graph.injectDim);
        }
        if (graph.tMin != null || graph.tMax != null) { // the flags first: a file without range metadata is fine with them
            info = info.withRange(graph.tMin != null ? graph.tMin : info.tMin(), graph.tMax != null ? graph.tMax : info.tMax());
        }
        requireComplete(info);
        double lo = info.tMin();
        double hi = info.tMax();
        String unsupported = dev.sfd.core.teachers.Distillability.problem(source.model());
        if (unsupported != null) {
            throw new IllegalArgumentException("teacher '" + info.id() + "' cannot be distilled: " + unsupported);
        }
        boolean afs = !noAfs;
        // tuned recipes belong to the built-in teachers named on the command line; any file gets the reference recipe
        dev.sfd.core.distill.DistillRecipe recipe = dev.sfd.core.distill.DistillRecipe.forTeacher(
                TeacherSource.BUILTIN.contains(selection.teacher) ? selection.teacher : "");
        int epochs = this.epochs != null ? this.epochs : recipe.epochs();
        w.println("recipe for '" + info.id() + "' (flags override): " + recipe.describe());
        SfdConfig config = config(recipe, lo, hi);
        String solver = config.solver();
        int k = config.k();
        long budget = config.budget();
        int batch = config.batch();
        double lr = config.learningRate();
        StudentFromTeacher.StudentGraph student = StudentFromTeacher.build(source.model(), info.timeEmbedding(),
                info.timeEmbeddingWidth(), seed);
        if (!student.stepEmbedding()) {
            w.println("note: teacher '" + info.id() + "' names no time embedding: training a fixed-step-count student "
                    + "(sfd.student.step_embedding=false)");
        }
        w.printf(Locale.ROOT, "SFD: teacher %s (%s, sha256 %s…), N %s (NFE %s, AFS %s), %s K=%d, budget %d, batch %d, lr %g%n",
                info.id(), info.dataset(), info.sha256().substring(0, 12), config.stepCounts(),
                config.stepCounts().stream().map(config::nfe).toList(), afs ? "on" : "off", solver, k, budget, batch, lr);
        w.flush();
        if (out == null && saveTrajectories == null) {
            throw new IllegalArgumentException("sfd distill: give --out <student.onnx> (and/or --save-trajectories <file> "
                    + "to store the teacher trajectories)");
        }
        if (!method.equals("sfd") && (trajectories != null || saveTrajectories != null || epochs > 1)) {
            throw new IllegalArgumentException("sfd distill: --trajectories, --save-trajectories and --epochs are for "
                    + "--method sfd (stored SFD trajectories); --method " + method + " makes its own targets");
        }
        if (trajectories != null && saveTrajectories != null) {
            throw new IllegalArgumentException("sfd distill: --trajectories reads stored trajectories, --save-trajectories "
                    + "writes new ones; give one of them");
        }
        Path source2 = trajectories;
        Path temporary = null;
        if (saveTrajectories == null && trajectories == null && epochs > 1) {
            temporary = java.nio.file.Files.createTempFile("sfd-trajectories-", ".traj");
            saveTrajectories = temporary;
        }
        if (saveTrajectories != null) {
            long t0 = System.nanoTime();
            long nfe;
            try (NoiseModel t = source.open(1);
                    dev.sfd.core.distill.TrajectoryStore.Writer wr = dev.sfd.core.distill.TrajectoryStore.create(
                            saveTrajectories, dev.sfd.core.distill.TrajectoryStore.Header.of(info, config))) {
                nfe = new SfdDistiller(t, info, student, config).generate(wr);
            }
            w.printf(Locale.ROOT, "teacher trajectories: %d in %.1f s (%d teacher calls) -> %s%n", config.budget(),
                    (System.nanoTime() - t0) / 1e9, nfe, temporary != null ? "a temporary file" : saveTrajectories);
            w.flush();
            if (out == null) {
                return 0;
            }
            source2 = saveTrajectories;
        }
        DistillationResult r;
        if (source2 != null) {
            long t0 = System.nanoTime();
            dev.sfd.core.distill.TrajectoryStore.Contents data = dev.sfd.core.distill.TrajectoryStore.read(source2);
            w.printf(Locale.ROOT, "read %d stored trajectories (N %s, %d teacher calls to make them) in %.1f s; %d epoch(s)%n",
                    data.trajectories(), data.countsByN(), data.teacherNfe(), (System.nanoTime() - t0) / 1e9, epochs);
            w.flush();
            if (temporary != null) {
                java.nio.file.Files.deleteIfExists(temporary);
            }
            r = new SfdDistiller((NoiseModel) null, info, student, config).replay(data, epochs);
        } else {
            try (NoiseModel t = source.open(1)) { // small batched calls: one thread is fastest
                r = DistillMethods.run(w, method, cdEma, cdTargetEvery, t, info, student, config); // sfd | td | cd
            }
        }
        StudentCheckpoint cp = StudentCheckpoint.save(r.student(), out);
        w.printf(Locale.ROOT, "distilled in %.1f s (trainer%s): %d trajectories, %d Adam steps, %d teacher calls; loss %.4f -> %s%n",
                r.seconds(), source2 != null ? " only" : " + teacher", r.trajectories(), r.optimizerSteps(), r.teacherNfe(), r.firstLoss(), format(r));
        w.printf(Locale.ROOT, "wrote %s (sha256 %s); sample with N in %s (NFE %s)%n", out, cp.sha256(),
                cp.metadata().stepCounts(), cp.metadata().stepCounts().stream().map(cp.metadata()::nfe).toList());
        return 0;
    }

    /** The run's configuration on the noise range [lo, hi]: every flag given, {@code recipe} for the rest. */
    SfdConfig config(dev.sfd.core.distill.DistillRecipe recipe, double lo, double hi) {
        SfdConfig.Builder b = SfdConfig.builder(new ScheduleSpec(schedule, lo, hi, rho))
                .solver(solver != null ? solver : recipe.solver()).k(k != null ? k : recipe.k()).afs(!noAfs)
                .batch(batch != null ? batch : recipe.batch()).learningRate(lr != null ? lr : recipe.learningRate())
                .budget(budget != null ? budget : recipe.budget()).seed(seed).threads(selection.threads)
                .progress(!noProgress).loss(loss != null ? loss : recipe.loss()).huberC(huberC)
                .lrSchedule(lrSchedule != null ? lrSchedule : recipe.lrSchedule())
                .emaHalfLife(emaHalfLife != null ? emaHalfLife : recipe.emaHalfLife())
                .carryHistory(carryHistory != null ? carryHistory : recipe.carryHistory());
        if (counts != null && counts.steps != null) {
            b.stepCounts(counts.steps);
        } else {
            b.nfeCounts(counts != null && counts.nfe != null ? counts.nfe : List.of(2, 3, 4, 5));
        }
        return b.build();
    }

    /** Like {@link TeacherInfo#requireComplete()}, but the message names the flags that supply what is missing. */
    private static void requireComplete(TeacherInfo info) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        if (info.sampleShape() == null || info.sampleShape().length == 0) {
            missing.add("the sample shape (--sample-shape, e.g. 2 or 3,16,16)");
        }
        if (!Double.isFinite(info.tMin())) {
            missing.add("the smallest noise level (--t-min)");
        }
        if (!Double.isFinite(info.tMax())) {
            missing.add("the largest noise level (--t-max)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("teacher '" + info.id() + "' lacks " + String.join(", ", missing)
                    + "; or import it once with 'sfd teacher import' so its metadata says so");
        }
    }

    static String format(DistillationResult r) {
        StringBuilder sb = new StringBuilder("{");
        r.finalLossByN().forEach((n, l) -> sb.append(sb.length() > 1 ? ", " : "").append("N=").append(n)
                .append(": ").append(String.format(Locale.ROOT, "%.4f", l)));
        return sb.append('}').toString();
    }
}
