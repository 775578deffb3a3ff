package dev.sfd.core.distill;

import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.AnalyticalFirstStep;
import dev.sfd.core.diffusion.solver.Euler;
import dev.sfd.core.diffusion.trajectory.TeacherTrajectory;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.training.AdamState;
import dev.sfd.core.training.StepResult;
import dev.sfd.core.training.TrainingRunner;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The student side of SFD (SFD.md, Algorithm 2, inner loop): given a batch of teacher
 * trajectories x̃_N … x̃_0 on Γ(N) — computed in process or delivered over Kafka, it makes no
 * difference — it runs the student from x = x_N, one Euler step at a time from its own detached
 * state, with ONE Adam step of {@link StudentStepLoss} per student step. The learning rate drops to
 * lr/10 once half of the budget's trajectories have been seen. Not thread-safe.
 */
public final class SfdStudentTrainer implements AutoCloseable {

    /** The analytic first step, the same code the sampler runs; it never calls a network on one interval. */
    private static final AnalyticalFirstStep AFS = new AnalyticalFirstStep(new Euler());
    private static final NoiseModel NO_NETWORK = (x, t, c) -> {
        throw new IllegalStateException("the analytic first step must not call a network");
    };

    private final TeacherInfo info;
    private final StudentFromTeacher.StudentGraph student;
    private final SfdConfig config;
    private final boolean conditional;
    private final PromptRows prompts; // null: labels (or nothing) condition the student
    private final Map<Integer, double[]> timestamps = new TreeMap<>();
    private final Map<Integer, double[]> lateLoss = new HashMap<>(); // N → {sum, count} over the last 10%
    private final long dropAt;
    private final TrainingRunner runner;
    private EmaWeights ema; // null = no EMA
    private long seen;
    private long optimizerSteps;
    private double firstLoss = Double.NaN;

    /** A trainer on the CPU with {@code config.threads()} intra-op threads. */
    public SfdStudentTrainer(TeacherInfo info, StudentFromTeacher.StudentGraph student, SfdConfig config) {
        this(info, student, config, SessionConfig.cpu(config.threads()));
    }

    /** A text-conditioned trainer on the CPU (see the five-argument constructor). */
    public SfdStudentTrainer(TeacherInfo info, StudentFromTeacher.StudentGraph student, SfdConfig config,
                             PromptRows prompts) {
        this(info, student, config, SessionConfig.cpu(config.threads()), prompts);
    }

    /**
     * A trainer whose training session runs on {@code session} (CPU or CUDA, its threads); CUDA
     * requested but unavailable fails here, never falling back to the CPU.
     */
    public SfdStudentTrainer(TeacherInfo info, StudentFromTeacher.StudentGraph student, SfdConfig config,
                             SessionConfig session) {
        this(info, student, config, session, null);
    }

    /**
     * A text-conditioned trainer ({@code prompts} non-null): every batch's "labels" are indices into
     * {@code prompts}, and the student's float {@code cond} input [B, L, D] gets those prompts' embeddings
     * (a non-trainable input, like x and t).
     */
    public SfdStudentTrainer(TeacherInfo info, StudentFromTeacher.StudentGraph student, SfdConfig config,
                             SessionConfig session, PromptRows prompts) {
        this.info = info.requireComplete();
        this.student = student;
        this.config = config;
        this.prompts = prompts;
        boolean hasCond = student.model().inputNames().contains("cond");
        if (prompts != null && !hasCond) {
            throw new IllegalArgumentException("the student of '" + info.id() + "' has no 'cond' input, so it cannot "
                    + "take prompt embeddings; distil a text-conditioned teacher "
                    + "(inputs x, t, cond float [B, L, D]) or drop the prompts");
        }
        this.conditional = hasCond && (info.classes() > 0 || prompts != null);
        Schedule schedule = config.schedule().schedule();
        config.stepCounts().forEach(n -> timestamps.put(n, schedule.timestampsDescending(n)));
        this.dropAt = (long) Math.ceil(config.budget() * config.lrDropFraction());
        this.runner = TrainingRunner.builder(student.model(), "eps")
                .loss(StudentStepLoss.of(config, info.sampleShape()))
                .adam(config.adam())
                .trainable(trainable(student.model()))
                .schedule(step -> config.learningRateAt(seen)) // default: lr/10 after half the budget
                .session(session).outputs(StudentStepLoss.X_NEXT).build();
        this.ema = config.emaHalfLife() > 0 ? new EmaWeights(runner.parameterViews(), config.emaDecay()) : null;
    }


    /** Every parameter except the constants an import marked frozen ({@link TeacherMetadata#FROZEN}). */
    static java.util.List<String> trainable(dev.sfd.core.onnx.OnnxModel model) {
        String frozen = model.metadata().getOrDefault(dev.sfd.core.teachers.TeacherMetadata.FROZEN, "");
        java.util.Set<String> skip = frozen.isBlank() ? java.util.Set.of() : java.util.Set.of(frozen.split(","));
        return model.parameters().keySet().stream().filter(p -> !skip.contains(p)).toList();
    }

    /** Whether the student takes a condition (then every batch needs labels, or prompt indices with prompts). */
    public boolean conditional() {
        return conditional;
    }

    /** Γ(N) descending for a trained N; an error for an N outside the configured set. */
    public double[] timestampsFor(int n) {
        double[] t = timestamps.get(n);
        if (t == null) {
            throw new IllegalArgumentException("step count N = " + n + " is not in the configured set "
                    + config.stepCounts());
        }
        return t.clone();
    }

    /**
     * Trains on one batch of teacher trajectories (Algorithm 2, "for n = N−1 … 0"); returns the mean
     * loss over the trained student steps.
     *
     * @param labels per-sample class labels (−1 = ∅), prompt indices for a text-conditioned trainer, or null for
     *               an unconditional student
     */
    public double train(TeacherTrajectory traj, long[] labels) {
        int n = traj.steps();
        double[] t = timestampsFor(n); // Γ(N) descending: t[0] = t_N … t[N] = t_0
        requireSameTimestamps(traj.timestamps(), t, n);
        int b = traj.points().get(0).batch();
        if (conditional && (labels == null || labels.length != b)) {
            throw new IllegalArgumentException("the student of '" + info.id() + "' is conditional: a batch of " + b
                    + " trajectories needs " + b + (prompts != null ? " prompt indices" : " labels") + ", got "
                    + (labels == null ? "none" : labels.length));
        }
        Object cond = prompts != null ? prompts.rows(labels) : labels; // text: the prompts' embeddings [B, L, D]
        FloatTensor x = traj.points().get(0); // x ← x_N
        int from = 0;
        if (config.afs()) { // AFS: x_{N−1} = x_N + (t_{N−1} − t_N)·x_N/sqrt(1 + t_N²), no NFE, not trained
            x = AFS.solve(NO_NETWORK, x, new double[] {t[0], t[1]}, dev.sfd.core.diffusion.Condition.none());
            from = 1;
        }
        double batchLoss = 0;
        for (int i = from; i < n; i++) { // n = N−1 … 0 of Algorithm 2
            Map<String, Object> feed = new LinkedHashMap<>();
            feed.put("x", x);
            feed.put("t", filled(b, t[i]));
            if (conditional) {
                feed.put("cond", cond);
            }
            if (student.stepEmbedding()) {
                feed.put(StepCountEmbedding.INPUT, filled(b, n));
            }
            feed.put(StudentStepLoss.DT, filled(b, t[i + 1] - t[i]));
            feed.put(StudentStepLoss.TARGET, traj.points().get(i + 1));
            StepResult r = runner.step(feed); // ψ ← ψ − η·∇ψ d(x^ψ, x̃_n): one Adam step per student step
            x = r.outputs().get(StudentStepLoss.X_NEXT); // x ← detach(x^ψ), computed before the update
            batchLoss += r.loss();
            optimizerSteps++;
            if (ema != null) {
                ema.update();
            }
            if (!Float.isFinite(r.loss())) {
                throw new IllegalStateException("SFD loss became " + r.loss() + " at optimiser step " + optimizerSteps
                        + " (N = " + n + ", student step " + i + "); lower the learning rate");
            }
        }
        double mean = batchLoss / (n - from);
        if (Double.isNaN(firstLoss)) {
            firstLoss = mean;
        }
        seen += b;
        if (seen > config.budget() * 0.9) {
            double[] acc = lateLoss.computeIfAbsent(n, k -> new double[2]);
            acc[0] += mean;
            acc[1]++;
        }
        return mean;
    }

    /**
     * Everything this trainer adds to its parameters for an exact resume: trajectories seen (the
     * learning-rate schedule's position), optimiser steps, loss bookkeeping and Adam's state.
     */
    public record State(long seen, long optimizerSteps, double firstLoss, Map<Integer, double[]> lateLoss,
                        AdamState adam) {
        public State {
            Map<Integer, double[]> copy = new TreeMap<>();
            lateLoss.forEach((n, acc) -> copy.put(n, acc.clone()));
            lateLoss = copy;
        }
    }

    /** A copy of the training state (see {@link State}); the weights are in {@link #result}'s ONNX file. */
    public State state() {
        return new State(seen, optimizerSteps, firstLoss, lateLoss, runner.adamState());
    }

    /** The current value of every trainable parameter (copies). */
    public Map<String, float[]> weights() {
        Map<String, float[]> out = new LinkedHashMap<>();
        runner.parameters().forEach((k, v) -> out.put(k, v.data()));
        return out;
    }

    /**
     * Continues from a saved checkpoint: {@code weights} (the parameters of the saved student ONNX
     * file, e.g. {@code OnnxModel.parameters()}) and the saved {@link State}. With an EMA, the
     * average restarts from the restored weights (it is not part of the state).
     */
    public void restore(Map<String, float[]> weights, State state) {
        runner.restore(weights, state.adam());
        if (ema != null) {
            ema = new EmaWeights(runner.parameterViews(), config.emaDecay());
        }
        seen = state.seen();
        optimizerSteps = state.optimizerSteps();
        firstLoss = state.firstLoss();
        lateLoss.clear();
        state.lateLoss().forEach((n, acc) -> lateLoss.put(n, acc.clone()));
    }

    public long optimizerSteps() {
        return optimizerSteps;
    }

    public SfdConfig config() {
        return config;
    }

    public long trajectoriesSeen() {
        return seen;
    }

    /** The student as it is now, with its metadata, as a {@link DistillationResult}. */
    public DistillationResult result(long teacherNfe, double seconds) {
        StudentMetadata meta = metadata();
        Map<Integer, Double> finalLoss = new TreeMap<>();
        lateLoss.forEach((n, acc) -> finalLoss.put(n, acc[0] / acc[1]));
        Map<String, float[]> weights = ema != null ? ema.values() : Map.of(); // the saved student = the EMA weights
        return new DistillationResult(StudentCheckpoint.withMetadata(runner.exportInference(Map.of(), weights), meta), meta,
                seen, optimizerSteps, teacherNfe, seconds, firstLoss, finalLoss);
    }

    @Override
    public void close() {
        runner.close();
    }

    private static void requireSameTimestamps(double[] got, double[] expected, int n) {
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(got[i] - expected[i]) > 1e-9 * Math.max(1, expected[i])) {
                throw new IllegalArgumentException("teacher trajectory for N = " + n + " has timestamps "
                        + Arrays.toString(got) + " but the student's schedule gives " + Arrays.toString(expected));
            }
        }
    }

    private StudentMetadata metadata() {
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("name", "adam");
        opt.put("beta1", config.adam().beta1());
        opt.put("beta2", config.adam().beta2());
        opt.put("eps", config.adam().epsilon());
        opt.put("weight_decay", 0);
        opt.put("lr", config.learningRate());
        opt.put("lr_schedule", config.lrSchedule());
        if (config.lrSchedule().equals("step")) {
            opt.put("lr_after_drop", config.learningRate() * 0.1);
            opt.put("lr_drop_at_trajectories", dropAt);
        }
        opt.put("batch", config.batch());
        opt.put("loss", switch (config.loss()) {
            case "l2" -> "L2 squared, sum over sample, mean over batch";
            case "pseudo-huber" -> "pseudo-Huber sqrt(|d|^2 + c^2) - c per sample, c = " + config.huberC()
                    + "*sqrt(D), mean over batch";
            default -> "L1, sum over sample, mean over batch";
        });
        opt.put("non_finite_gradients", "zeroed");
        opt.put("ema", config.emaHalfLife() > 0);
        if (config.emaHalfLife() > 0) {
            opt.put("ema_half_life_steps", config.emaHalfLife());
        }
        opt.put("teacher_history_carried", config.carryHistory());
        return new StudentMetadata(info.id(), info.sha256(), info.dataset(), info.sampleShape(), info.classes(),
                config.schedule(), timestamps, student.stepEmbedding(), config.afs(), SfdConfig.TRAINING_GUIDANCE,
                config.solver(), config.k(), StudentMetadata.json(opt), seen, config.seed(),
                StudentMetadata.CODE_VERSION, Instant.now().toString());
    }

    static FloatTensor filled(int b, double v) {
        float[] d = new float[b];
        Arrays.fill(d, (float) v);
        return new FloatTensor(new long[] {b}, d);
    }

}
