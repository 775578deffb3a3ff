package dev.sfd.core.distill;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.CountingNoiseModel;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.AnalyticalFirstStep;
import dev.sfd.core.diffusion.solver.Euler;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.diffusion.trajectory.TrajectoryGenerator;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.training.StepResult;
import dev.sfd.core.training.TrainingRunner;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * SFD distillation in process (SFD.md, Algorithm 2 and "One student for many step counts"). Each
 * batch draws its step count N from the configured set, per-sample seeds of x_N, and labels
 * uniformly from the teacher's classes (ω = 1: the teacher's conditional branch only); the teacher
 * trajectory x̃_N … x̃_0 on Γ(N) comes from {@link TrajectoryGenerator} (Solver(K) between student
 * timestamps); then, from x = x_N (after the untrained analytic step with AFS), each student step
 * is ONE Adam step of {@link StudentStepLoss} and the student continues from its own detached x^ψ.
 * Not thread-safe; one run per instance.
 */
public final class SfdDistiller {

    /** Called after every batch: trajectories seen so far, the batch's N, its mean loss. */
    @FunctionalInterface
    public interface Listener {
        void batchDone(long trajectories, int steps, double meanLoss);
    }

    private final NoiseModel teacher;
    private final TeacherInfo info;
    private final StudentFromTeacher.StudentGraph student;
    private final SfdConfig config;
    private Listener listener = (s, n, l) -> { };
    private PromptEmbeddings prompts; // null: class labels (or none) condition the batches

    public SfdDistiller(NoiseModel teacher, TeacherInfo info, StudentFromTeacher.StudentGraph student, SfdConfig config) {
        this.teacher = teacher;
        this.info = info.requireComplete();
        this.student = student;
        this.config = config;
        if (!student.stepEmbedding() && config.stepCounts().size() != 1) {
            throw new IllegalArgumentException("student of teacher '" + info.id() + "' has no step-count embedding "
                    + "(no time-embedding injection point), so it can learn one N only, but the step-count set is "
                    + config.stepCounts());
        }
        Schedule s = config.schedule().schedule();
        if (s.tMin() < info.tMin() - 1e-12 || s.tMax() > info.tMax() + 1e-12) {
            throw new IllegalArgumentException("schedule range [" + s.tMin() + ", " + s.tMax()
                    + "] leaves the teacher's trained range [" + info.tMin() + ", " + info.tMax() + "]");
        }
        List<String> inputs = student.model().inputNames();
        if (!inputs.contains("x") || !inputs.contains("t")) {
            throw new IllegalArgumentException("student of '" + info.id() + "' must take inputs x and t, has " + inputs);
        }
    }

    public SfdDistiller listener(Listener l) {
        this.listener = l;
        return this;
    }

    /**
     * Text conditioning: each trajectory draws one of {@code p}'s prompts uniformly (from the run seed);
     * the teacher gets its embedding as the condition (ω = 1, no ∅ branch) and the student the same
     * embedding through its float {@code cond} input. The prompt's index is the trajectory's label.
     */
    public SfdDistiller prompts(PromptEmbeddings p) {
        if (!student.model().inputNames().contains("cond")) {
            throw new IllegalArgumentException("student of '" + info.id() + "' has no 'cond' input for prompt "
                    + "embeddings; its inputs are " + student.model().inputNames());
        }
        this.prompts = p;
        return this;
    }

    /** Runs the whole budget, teacher trajectories generated on the fly, and returns the student with its metadata. */
    public DistillationResult run() {
        long start = System.nanoTime();
        CountingNoiseModel countedTeacher = new CountingNoiseModel(teacher);
        TrajectoryGenerator generator = generator(countedTeacher);
        SplitMix64 draws = draws();
        try (SfdStudentTrainer trainer = new SfdStudentTrainer(info, student, config, prompts);
                ProgressBar bar = bar("SFD " + info.id(), config.budget())) {
            while (trainer.trajectoriesSeen() < config.budget()) {
                Draw d = draw(trainer.trajectoriesSeen(), draws);
                TeacherTrajectory traj = generator.generate(d.seeds(), info.sampleShape(), timestamps(d.n()),
                        d.condition()); // x̃_N … x̃_0
                trainOne(trainer, traj, d.labels(), bar);
            }
            return trainer.result(countedTeacher.calls(), (System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Generates the budget's teacher trajectories with exactly the draws of {@link #run} (same N,
     * seeds, labels, batches) and writes them to {@code out}; returns the teacher NFE spent.
     */
    public long generate(TrajectoryStore.Writer out) {
        CountingNoiseModel countedTeacher = new CountingNoiseModel(teacher);
        TrajectoryGenerator generator = generator(countedTeacher);
        SplitMix64 draws = draws();
        long seen = 0;
        try (ProgressBar bar = bar("teacher " + info.id(), config.budget())) {
            while (seen < config.budget()) {
                Draw d = draw(seen, draws);
                out.append(generator.generate(d.seeds(), info.sampleShape(), timestamps(d.n()), d.condition()),
                        d.labels());
                seen += d.seeds().length;
                if (bar != null) {
                    bar.stepTo(seen);
                }
            }
        }
        return countedTeacher.calls();
    }

    /**
     * Trains on stored trajectories for {@code epochs} passes (the budget becomes trajectories ×
     * epochs, so the learning-rate schedule spans all passes). The first pass replays the stored
     * batches in order when they have the configured batch size, so one epoch from a file equals
     * {@link #run} with the same config; later passes (or a different batch size) regroup the
     * trajectories of each N into batches of {@code config.batch()} in an order drawn from the run
     * seed and the epoch. The reported time is the trainer's alone; teacher NFE is the file's × 0.
     *
     * @throws IllegalArgumentException when the file was made with another teacher, solver, K or schedule
     */
    public DistillationResult replay(TrajectoryStore.Contents data, int epochs) {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs over stored trajectories must be >= 1, got " + epochs);
        }
        List<String> bad = data.header().mismatches(info, config);
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("stored trajectories do not fit this run: " + String.join("; ", bad)
                    + "; regenerate them with the same teacher, --solver, --k, --schedule/--rho/--t-min/--t-max");
        }
        for (int n : data.countsByN().keySet()) {
            if (!config.stepCounts().contains(n)) {
                throw new IllegalArgumentException("stored trajectories have N = " + n + ", outside the configured set "
                        + config.stepCounts() + "; train with the file's step counts " + data.header().stepCounts());
            }
        }
        long total = data.trajectories();
        SfdConfig replay = config.withBudget(total * epochs);
        long start = System.nanoTime();
        try (SfdStudentTrainer trainer = new SfdStudentTrainer(info, student, replay, prompts);
                ProgressBar bar = bar("SFD " + info.id() + " (replay x" + epochs + ")", replay.budget())) {
            for (int e = 0; e < epochs; e++) {
                boolean inOrder = e == 0 && data.batches().stream().limit(data.batches().size() - 1)
                        .allMatch(b -> b.size() == config.batch());
                List<TrajectoryStore.Batch> order = inOrder ? data.batches() : TrajectoryReplay.regroup(data,
                        config.batch(), new SplitMix64(config.seed() * 0x9E3779B97F4A7C15L + 1000003L * (e + 1)));
                for (TrajectoryStore.Batch b : order) {
                    trainOne(trainer, b.trajectory(), b.labels(), bar);
                }
            }
            return trainer.result(0, (System.nanoTime() - start) / 1e9);
        }
    }

    private record Draw(int n, long[] seeds, long[] labels, Condition condition) {
    }

    private boolean conditional() {
        return info.classes() > 0 && student.model().inputNames().contains("cond");
    }

    private int conditions() {
        return prompts != null ? prompts.size() : info.classes();
    }

    private SplitMix64 draws() {
        return new SplitMix64(config.seed() * 0x9E3779B97F4A7C15L + 17);
    }

    private TrajectoryGenerator generator(NoiseModel counted) {
        return new TrajectoryGenerator(counted, new TeacherSolver(Solvers.byName(config.solver()),
                config.schedule().schedule(), config.k()), config.carryHistory());
    }

    private double[] timestamps(int n) {
        return config.schedule().schedule().timestampsDescending(n);
    }

    /** The next batch's N, seeds and labels: the same sequence for {@link #run} and {@link #generate}. */
    private Draw draw(long seen, SplitMix64 draws) {
        boolean conditional = conditional() || prompts != null;
        int b = (int) Math.min(config.batch(), config.budget() - seen);
        int n = config.stepCounts().get((int) (Math.floorMod(draws.nextLong(), config.stepCounts().size())));
        long[] seeds = new long[b];
        long[] labels = new long[b];
        int[] intLabels = new int[b];
        for (int i = 0; i < b; i++) {
            seeds[i] = sampleSeed(config.seed(), seen + i);
            intLabels[i] = conditional ? (int) Math.floorMod(draws.nextLong(), conditions()) : -1;
            labels[i] = intLabels[i];
        }
        Condition c = prompts != null ? prompts.condition(labels) // the prompts' embeddings, ω = 1
                : conditional ? Condition.labels(intLabels) : Condition.none();
        return new Draw(n, seeds, conditional ? labels : null, c);
    }

    private void trainOne(SfdStudentTrainer trainer, TeacherTrajectory traj, long[] labels, ProgressBar bar) {
        double mean = trainer.train(traj, trainer.conditional() ? labels : null);
        listener.batchDone(trainer.trajectoriesSeen(), traj.steps(), mean);
        if (bar != null) {
            bar.stepTo(trainer.trajectoriesSeen());
            bar.setExtraMessage(String.format(" N=%d loss %.4f", traj.steps(), mean));
        }
    }

    private ProgressBar bar(String task, long max) {
        return config.progress() ? new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setUnit(" traj", 1).showSpeed().build() : null;
    }

    /** Seed of x_N for trajectory {@code index} of a run: independent of batching. */
    public static long sampleSeed(long runSeed, long index) {
        return new SplitMix64(runSeed ^ (index * 0xD1B54A32D192ED03L)).nextLong();
    }
}
