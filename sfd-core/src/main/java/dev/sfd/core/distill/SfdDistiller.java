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

    /** The analytic first step, the same code the sampler runs; it never calls a network on one interval. */
    private static final AnalyticalFirstStep AFS = new AnalyticalFirstStep(new Euler());
    private static final NoiseModel NO_NETWORK = (x, t, c) -> {
        throw new IllegalStateException("the analytic first step must not call a network");
    };

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
        int rank = shape.length + 1;
        boolean conditional = info.classes() > 0 && student.model().inputNames().contains("cond");
        CountingNoiseModel countedTeacher = new CountingNoiseModel(teacher);
        TrajectoryGenerator generator = new TrajectoryGenerator(countedTeacher,
                new TeacherSolver(Solvers.byName(config.solver()), schedule, config.k()));
        SplitMix64 draws = new SplitMix64(config.seed() * 0x9E3779B97F4A7C15L + 17);
        long dropAt = (long) Math.ceil(config.budget() * config.lrDropFraction());
        long[] seen = {0};
        Map<Integer, double[]> timestamps = new TreeMap<>();
        config.stepCounts().forEach(n -> timestamps.put(n, schedule.timestampsDescending(n)));
        Map<Integer, double[]> lateLoss = new HashMap<>(); // N → {sum, count} over the last 10% of the budget
        double firstLoss = Double.NaN;
        long steps = 0;
        try (TrainingRunner runner = TrainingRunner.builder(student.model(), "eps")
                .loss(new StudentStepLoss("x", rank)).adam(config.adam())
                .schedule(step -> seen[0] < dropAt ? config.learningRate() : config.learningRate() * 0.1) // lr/10 after half
                .session(SessionConfig.cpu(config.threads())).outputs(StudentStepLoss.X_NEXT).build();
                ProgressBar bar = config.progress() ? new ProgressBarBuilder().setTaskName("SFD " + info.id())
                        .setInitialMax(config.budget()).setUnit(" traj", 1).showSpeed().build() : null) {
            while (seen[0] < config.budget()) {
                int b = (int) Math.min(config.batch(), config.budget() - seen[0]);
                int n = config.stepCounts().get((int) (Math.floorMod(draws.nextLong(), config.stepCounts().size())));
                double[] t = timestamps.get(n); // Γ(N) descending: t[0] = t_N … t[N] = t_0
                long[] seeds = new long[b];
                long[] labels = new long[b];
                int[] intLabels = new int[b];
                for (int i = 0; i < b; i++) {
                    seeds[i] = sampleSeed(config.seed(), seen[0] + i);
                    intLabels[i] = conditional ? (int) Math.floorMod(draws.nextLong(), info.classes()) : -1;
                    labels[i] = intLabels[i];
                }
                Condition c = conditional ? Condition.labels(intLabels) : Condition.none();
                TeacherTrajectory traj = generator.generate(seeds, shape, t, c); // x̃_N … x̃_0 (teacher side)
                FloatTensor x = traj.points().get(0); // x ← x_N
                int from = 0;
                if (config.afs()) { // AFS: x_{N−1} = x_N + (t_{N−1} − t_N)·x_N/sqrt(1 + t_N²), no NFE, not trained
                    x = AFS.solve(NO_NETWORK, x, new double[] {t[0], t[1]}, c);
                    from = 1;
                }
                double batchLoss = 0;
                for (int i = from; i < n; i++) { // n = N−1 … 0 of Algorithm 2
                    Map<String, Object> feed = new LinkedHashMap<>();
                    feed.put("x", x);
                    feed.put("t", filled(b, t[i]));
                    if (conditional) {
                        feed.put("cond", labels);
                    }
                    if (student.stepEmbedding()) {
                        feed.put(StepCountEmbedding.INPUT, filled(b, n));
                    }
                    feed.put(StudentStepLoss.DT, filled(b, t[i + 1] - t[i]));
                    feed.put(StudentStepLoss.TARGET, traj.points().get(i + 1));
                    StepResult r = runner.step(feed); // ψ ← ψ − η·∇ψ d(x^ψ, x̃_n): one Adam step per student step
                    x = r.outputs().get(StudentStepLoss.X_NEXT); // x ← detach(x^ψ), computed before the update
                    batchLoss += r.loss();
                    steps++;
                    if (!Float.isFinite(r.loss())) {
                        throw new IllegalStateException("SFD loss became " + r.loss() + " at optimiser step " + steps
                                + " (N = " + n + ", student step " + i + "); lower the learning rate");
                    }
                }
                double mean = batchLoss / (n - from);
                if (Double.isNaN(firstLoss)) {
                    firstLoss = mean;
                }
                seen[0] += b;
                if (seen[0] > config.budget() * 0.9) {
                    double[] acc = lateLoss.computeIfAbsent(n, k -> new double[2]);
                    acc[0] += mean;
                    acc[1]++;
                }
                listener.batchDone(seen[0], n, mean);
                if (bar != null) {
                    bar.stepTo(seen[0]);
                    bar.setExtraMessage(String.format(" N=%d loss %.4f", n, mean));
                }
            }
            StudentMetadata meta = metadata(timestamps, seen[0], dropAt);
            Map<Integer, Double> finalLoss = new TreeMap<>();
            lateLoss.forEach((n, acc) -> finalLoss.put(n, acc[0] / acc[1]));
            return new DistillationResult(StudentCheckpoint.withMetadata(runner.exportInference(Map.of()), meta),
                    meta, seen[0], steps, countedTeacher.calls(), (System.nanoTime() - start) / 1e9, firstLoss,
                    finalLoss);
        }
    }

    /** Seed of x_N for trajectory {@code index} of a run: independent of batching. */
    public static long sampleSeed(long runSeed, long index) {
        return new SplitMix64(runSeed ^ (index * 0xD1B54A32D192ED03L)).nextLong();
    }

    private StudentMetadata metadata(Map<Integer, double[]> timestamps, long trajectories, long dropAt) {
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("name", "adam");
        opt.put("beta1", config.adam().beta1());
        opt.put("beta2", config.adam().beta2());
        opt.put("eps", config.adam().epsilon());
        opt.put("weight_decay", 0);
        opt.put("lr", config.learningRate());
        opt.put("lr_after_drop", config.learningRate() * 0.1);
        opt.put("lr_drop_at_trajectories", dropAt);
        opt.put("batch", config.batch());
        opt.put("loss", "L1, sum over sample, mean over batch");
        opt.put("non_finite_gradients", "zeroed");
        opt.put("ema", false);
        return new StudentMetadata(info.id(), info.sha256(), info.dataset(), info.sampleShape(), info.classes(),
                config.schedule(), timestamps, student.stepEmbedding(), config.afs(), SfdConfig.TRAINING_GUIDANCE,
                config.solver(), config.k(), StudentMetadata.json(opt), trajectories, config.seed(),
                StudentMetadata.CODE_VERSION, Instant.now().toString());
    }

    private static FloatTensor filled(int b, double v) {
        float[] d = new float[b];
        Arrays.fill(d, (float) v);
        return new FloatTensor(new long[] {b}, d);
    }

}
