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

    /** Runs the whole budget and returns the student with its metadata. */
    public DistillationResult run() {
        long start = System.nanoTime();
        Schedule schedule = config.schedule().schedule();
        long[] shape = info.sampleShape();
        CountingNoiseModel countedTeacher = new CountingNoiseModel(teacher);
        TrajectoryGenerator generator = new TrajectoryGenerator(countedTeacher,
                new TeacherSolver(Solvers.byName(config.solver()), schedule, config.k()));
        SplitMix64 draws = new SplitMix64(config.seed() * 0x9E3779B97F4A7C15L + 17);
        try (SfdStudentTrainer trainer = new SfdStudentTrainer(info, student, config);
                ProgressBar bar = config.progress() ? new ProgressBarBuilder().setTaskName("SFD " + info.id())
                        .setInitialMax(config.budget()).setUnit(" traj", 1).showSpeed().build() : null) {
            while (trainer.trajectoriesSeen() < config.budget()) {
                long seen = trainer.trajectoriesSeen();
                int b = (int) Math.min(config.batch(), config.budget() - seen);
                int n = config.stepCounts().get((int) (Math.floorMod(draws.nextLong(), config.stepCounts().size())));
                long[] seeds = new long[b];
                long[] labels = new long[b];
                int[] intLabels = new int[b];
                for (int i = 0; i < b; i++) {
                    seeds[i] = sampleSeed(config.seed(), seen + i);
                    intLabels[i] = trainer.conditional() ? (int) Math.floorMod(draws.nextLong(), info.classes()) : -1;
                    labels[i] = intLabels[i];
                }
                Condition c = trainer.conditional() ? Condition.labels(intLabels) : Condition.none();
                TeacherTrajectory traj = generator.generate(seeds, shape, trainer.timestampsFor(n), c); // x̃_N … x̃_0
                double mean = trainer.train(traj, trainer.conditional() ? labels : null);
                listener.batchDone(trainer.trajectoriesSeen(), n, mean);
                if (bar != null) {
                    bar.stepTo(trainer.trajectoriesSeen());
                    bar.setExtraMessage(String.format(" N=%d loss %.4f", n, mean));
                }
            }
            return trainer.result(countedTeacher.calls(), (System.nanoTime() - start) / 1e9);
        }
    }

    /** Seed of x_N for trajectory {@code index} of a run: independent of batching. */
    public static long sampleSeed(long runSeed, long index) {
        return new SplitMix64(runSeed ^ (index * 0xD1B54A32D192ED03L)).nextLong();
    }
}
