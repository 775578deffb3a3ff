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

    @Spec
    CommandSpec spec;

    @Option(names = "--teacher", required = true, description = "mixture2d | shapes | path to a teacher .onnx file.")
    String teacher;

    @Option(names = "--out", required = true, description = "Student ONNX file to write.")
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

    @Option(names = "--budget", defaultValue = "100000", description = "Teacher trajectories to train on (default ${DEFAULT-VALUE}).")
    long budget;

    @Option(names = "--batch", defaultValue = "256", description = "Trajectories per batch (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "1e-3", description = "Adam learning rate; lr/10 after half the budget (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--solver", defaultValue = "dpm++3m", description = "Teacher solver (default ${DEFAULT-VALUE}).")
    String solver;

    @Option(names = "--k", defaultValue = "4", description = "Teacher sub-steps K per student step (default ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--schedule", defaultValue = "polynomial", description = "polynomial | time-uniform | logsnr-uniform.")
    String schedule;

    @Option(names = "--rho", defaultValue = "7", description = "ρ of the polynomial schedule (default ${DEFAULT-VALUE}).")
    double rho;

    @Option(names = "--t-min", description = "Smallest noise level (default: the teacher's sfd.t_min).")
    Double tMin;

    @Option(names = "--t-max", description = "Largest noise level (default: the teacher's sfd.t_max).")
    Double tMax;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--no-afs", description = "Train without the analytical first step (NFE = N).")
    boolean noAfs;

    @Option(names = "--threads", defaultValue = "1", description = "ONNX Runtime threads (default ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--inject", description = "External teachers: the graph value [B, D] (time embedding) to add the "
            + "step-count embedding to (default: the teacher's sfd.time_embedding; none = fixed-N student).")
    String inject;

    @Option(names = "--inject-dim", defaultValue = "0", description = "Width D of --inject (0 = from metadata or shape inference).")
    int injectDim;

    @Option(names = "--sample-shape", description = "External teachers without sfd.sample_shape: e.g. 2 or 3,16,16.")
    String sampleShape;

    @Option(names = "--classes", description = "External teachers without sfd.cond.classes: number of labels C.")
    Integer classes;

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

    @Override
    public Integer call() {
        PrintWriter w = spec.commandLine().getOut();
        if (secondStage) { // --teacher is a first-stage student: its own metadata gives schedule, AFS and data set
            return DistillMethods.secondStage(w, Path.of(teacher), out, firstStageSteps, budget, batch, lr, seed, threads,
                    !noProgress);
        }
        TeacherSource source = TeacherSource.resolve(teacher);
        TeacherInfo info = source.info();
        if (sampleShape != null) {
            info = info.withSampleShape(TeacherInfo.parseShape(sampleShape));
        }
        if (classes != null) {
            info = info.withClasses(classes);
        }
        if (inject != null) {
            info = info.withTimeEmbedding(inject.isBlank() || inject.equals("none") ? null : inject, injectDim);
        }
        if (tMin != null || tMax != null) { // the flags first: a file without range metadata is fine with them
            info = info.withRange(tMin != null ? tMin : info.tMin(), tMax != null ? tMax : info.tMax());
        }
        requireComplete(info);
        double lo = info.tMin();
        double hi = info.tMax();
        String unsupported = dev.sfd.core.teachers.Distillability.problem(source.model());
        if (unsupported != null) {
            throw new IllegalArgumentException("teacher '" + info.id() + "' cannot be distilled: " + unsupported);
        }
        boolean afs = !noAfs;
        SfdConfig.Builder b = SfdConfig.builder(new ScheduleSpec(schedule, lo, hi, rho)).solver(solver).k(k).afs(afs)
                .batch(batch).learningRate(lr).budget(budget).seed(seed).threads(threads).progress(!noProgress);
        if (counts != null && counts.steps != null) {
            b.stepCounts(counts.steps);
        } else {
            b.nfeCounts(counts != null && counts.nfe != null ? counts.nfe : List.of(2, 3, 4, 5));
        }
        SfdConfig config = b.build();
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
        DistillationResult r;
        try (NoiseModel t = source.open(1)) { // small batched calls: one thread is fastest
            r = DistillMethods.run(w, method, cdEma, cdTargetEvery, t, info, student, config); // sfd | td | cd
        }
        StudentCheckpoint cp = StudentCheckpoint.save(r.student(), out);
        w.printf(Locale.ROOT, "distilled in %.1f s: %d trajectories, %d Adam steps, %d teacher calls; loss %.4f -> %s%n",
                r.seconds(), r.trajectories(), r.optimizerSteps(), r.teacherNfe(), r.firstLoss(), format(r));
        w.printf(Locale.ROOT, "wrote %s (sha256 %s); sample with N in %s (NFE %s)%n", out, cp.sha256(),
                cp.metadata().stepCounts(), cp.metadata().stepCounts().stream().map(cp.metadata()::nfe).toList());
        return 0;
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

    private static String format(DistillationResult r) {
        StringBuilder sb = new StringBuilder("{");
        r.finalLossByN().forEach((n, l) -> sb.append(sb.length() > 1 ? ", " : "").append("N=").append(n)
                .append(": ").append(String.format(Locale.ROOT, "%.4f", l)));
        return sb.append('}').toString();
    }
}
