package dev.sfd.core.distill.baselines;

import dev.sfd.core.diffusion.Condition;
import dev.sfd.core.diffusion.CountingNoiseModel;
import dev.sfd.core.diffusion.NoiseModel;
import dev.sfd.core.diffusion.schedule.Schedule;
import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.diffusion.solver.TeacherSolver;
import dev.sfd.core.distill.DistillationResult;
import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.StepCountEmbedding;
import dev.sfd.core.distill.StudentCheckpoint;
import dev.sfd.core.distill.StudentFromTeacher;
import dev.sfd.core.distill.StudentMetadata;
import dev.sfd.core.distill.StudentStepLoss;
import dev.sfd.core.distill.TeacherInfo;
import dev.sfd.core.onnx.OnnxModel;
import dev.sfd.core.onnx.SessionConfig;
import dev.sfd.core.random.SplitMix64;
import dev.sfd.core.teachers.TeacherData;
import dev.sfd.core.teachers.TeacherMetadata;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.training.StepResult;
import dev.sfd.core.training.TrainingRunner;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The baselines SFD is compared with, on the same engine, student initialisation
 * ({@link StudentFromTeacher}), distance ({@link StudentStepLoss}) and Adam settings:
 * trajectory distillation (TD, SFD.md Algorithm 1) and consistency distillation (CD, Song et al.
 * 2023), targets in {@link BaselineTargets}.
 *
 * <p>Equal cost: the budget is counted in SFD batches. For each of ⌈budget / batch⌉ rounds a step
 * count N is drawn from the set (as SFD draws one per batch) and the round takes as many Adam steps
 * as SFD trains on one batch at that N (N − 1 with AFS, N without), each on a FRESH batch of data
 * points x₀ noised to a uniformly drawn trained interval n (x_{n+1} = x₀ + t_{n+1}·ε). So Adam steps,
 * batch size and student compute match SFD's; teacher calls differ slightly (SFD also integrates the
 * teacher over the untrained AFS interval; CD adds one target-network call per step) and are counted.
 * The learning rate drops to lr/10 after the configured fraction of the budget, as in SFD.
 */
public final class BaselineDistiller {

    /** Called after every Adam step: batches (SFD-equivalent trajectories) seen, Adam steps, N, loss. */
    @FunctionalInterface
    public interface Listener {
        void stepDone(long trajectories, long adamSteps, int steps, double loss);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    private static final java.util.function.Function<Object, String> JSON_WRITER = v -> {
        try {
            return JSON.writeValueAsString(v);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write student metadata as JSON: " + e.getMessage(), e);
        }
    };

    private final NoiseModel teacher;
    private final TeacherInfo info;
    private final StudentFromTeacher.StudentGraph student;
    private final BaselineConfig config;
    private final TeacherData data;
    private Listener listener = (s, a, n, l) -> { };

    public BaselineDistiller(NoiseModel teacher, TeacherInfo info, StudentFromTeacher.StudentGraph student,
            BaselineConfig config, TeacherData data) {
        this.teacher = teacher;
        this.info = info.requireComplete();
        this.student = student;
        this.config = config;
        this.data = data;
        SfdConfig c = config.base();
        if (!student.stepEmbedding() && c.stepCounts().size() != 1) {
            throw new IllegalArgumentException("student of teacher '" + info.id() + "' has no step-count embedding, so "
                    + config.method().id() + " can train one N only, but the step-count set is " + c.stepCounts());
        }
        if (!Arrays.equals(data.sampleShape(), info.sampleShape())) {
            throw new IllegalArgumentException(config.method().id() + ": the data set's samples are shaped "
                    + Arrays.toString(data.sampleShape()) + " but teacher '" + info.id() + "' takes "
                    + Arrays.toString(info.sampleShape()) + "; the baselines need the teacher's own data set");
        }
        Schedule s = c.schedule().schedule();
        if (s.tMin() < info.tMin() - 1e-12 || s.tMax() > info.tMax() + 1e-12) {
            throw new IllegalArgumentException("schedule range [" + s.tMin() + ", " + s.tMax()
                    + "] leaves the teacher's trained range [" + info.tMin() + ", " + info.tMax() + "]");
        }
    }

    public BaselineDistiller listener(Listener l) {
        this.listener = l;
        return this;
    }

    /** Runs the whole budget and returns the student, its metadata recording the method. */
    public DistillationResult run() {
        long start = System.nanoTime();
        SfdConfig c = config.base();
        Schedule schedule = c.schedule().schedule();
        Map<Integer, double[]> timestamps = new TreeMap<>();
        c.stepCounts().forEach(n -> timestamps.put(n, schedule.timestampsDescending(n)));
        double tMin = schedule.tMin();
        CountingNoiseModel counted = new CountingNoiseModel(teacher);
        TeacherSolver solver = new TeacherSolver(Solvers.byName(c.solver()), schedule, c.k());
        boolean conditional = info.classes() > 0 && student.model().inputNames().contains("cond");
        NoisedData noised = new NoisedData(data, c.seed());
        SplitMix64 draws = new SplitMix64(c.seed() * 0x9E3779B97F4A7C15L + 17);
        long dropAt = (long) Math.ceil(c.budget() * c.lrDropFraction());
        long[] seen = {0};
        SessionConfig session = SessionConfig.cpu(c.threads());
        Map<Integer, double[]> lateLoss = new HashMap<>();
        double firstLoss = Double.NaN;
        long adamSteps = 0;
        long dataPoints = 0;
        try (TrainingRunner runner = TrainingRunner.builder(student.model(), "eps")
                .loss(StudentStepLoss.of(c, info.sampleShape())).adam(c.adam())
                .trainable(trainable(student.model()))
                .schedule(step -> seen[0] < dropAt ? c.learningRate() : c.learningRate() * 0.1)
                .session(session).outputs(StudentStepLoss.X_NEXT).build();
                TargetNetwork target = config.method() == BaselineMethod.CD
                        ? new TargetNetwork(student.model(), trainable(student.model()), config.targetEma(), config.targetEvery(), session) : null) {
            while (seen[0] < c.budget()) {
                int b = (int) Math.min(c.batch(), c.budget() - seen[0]);
                int n = c.stepCounts().get(Math.floorMod(draws.nextLong(), c.stepCounts().size()));
                double[] t = timestamps.get(n); // Γ(N) descending: t[0] = t_max … t[N] = t_min
                int from = c.afs() ? 1 : 0; // with AFS the first interval is analytic and not trained
                double roundLoss = 0;
                for (int j = from; j < n; j++) {
                    int i = from + Math.floorMod(draws.nextLong(), n - from); // interval t[i] → t[i+1], i.e. n+1 → n
                    NoisedData.Batch batch = noised.draw(adamSteps, b, t[i], conditional);
                    Condition cond = conditional ? Condition.labels(batch.labels()) : Condition.none();
                    FloatTensor goal = config.method() == BaselineMethod.CD
                            ? BaselineTargets.cd(counted, solver, target.atSteps(n), batch.noised(), t[i], t[i + 1], tMin, cond)
                            : BaselineTargets.td(counted, solver, batch.noised(), t[i], t[i + 1], cond);
                    Map<String, Object> feed = new LinkedHashMap<>();
                    feed.put("x", batch.noised());
                    feed.put("t", filled(b, t[i]));
                    if (conditional) {
                        feed.put("cond", Arrays.stream(batch.labels()).asLongStream().toArray());
                    }
                    if (student.stepEmbedding()) {
                        feed.put(StepCountEmbedding.INPUT, filled(b, n));
                    }
                    feed.put(StudentStepLoss.DT, filled(b, BaselineTargets.dt(config.method(), t[i], t[i + 1], tMin)));
                    feed.put(StudentStepLoss.TARGET, goal);
                    StepResult r = runner.step(feed);
                    adamSteps++;
                    dataPoints += b;
                    if (!Float.isFinite(r.loss())) {
                        throw new IllegalStateException(config.method().id() + " loss became " + r.loss()
                                + " at Adam step " + adamSteps + " (N = " + n + ", interval " + i + "); lower the learning rate");
                    }
                    if (target != null) {
                        target.update(runner.parameters());
                    }
                    roundLoss += r.loss();
                    listener.stepDone(seen[0], adamSteps, n, r.loss());
                }
                double mean = roundLoss / (n - from);
                if (Double.isNaN(firstLoss)) {
                    firstLoss = mean;
                }
                seen[0] += b;
                if (seen[0] > c.budget() * 0.9) {
                    double[] acc = lateLoss.computeIfAbsent(n, k -> new double[2]);
                    acc[0] += mean;
                    acc[1]++;
                }
            }
            StudentMetadata meta = metadata(timestamps, seen[0], dropAt, dataPoints, target);
            Map<String, String> extra = new LinkedHashMap<>(meta.toMap());
            extra.put(BaselineMethod.METADATA_KEY, config.method().id());
            OnnxModel out = runner.exportInference(Map.of()).withMetadata(extra);
            Map<Integer, Double> finalLoss = new TreeMap<>();
            lateLoss.forEach((k, acc) -> finalLoss.put(k, acc[0] / acc[1]));
            return new DistillationResult(out, meta, seen[0], adamSteps, counted.calls(), (System.nanoTime() - start) / 1e9,
                    firstLoss, finalLoss);
        }
    }

    private StudentMetadata metadata(Map<Integer, double[]> timestamps, long seen, long dropAt, long dataPoints,
            TargetNetwork target) {
        SfdConfig c = config.base();
        Map<String, Object> opt = new LinkedHashMap<>();
        opt.put("method", config.method().id());
        opt.put("name", "adam");
        opt.put("beta1", c.adam().beta1());
        opt.put("beta2", c.adam().beta2());
        opt.put("eps", c.adam().epsilon());
        opt.put("weight_decay", 0);
        opt.put("lr", c.learningRate());
        opt.put("lr_after_drop", c.learningRate() * 0.1);
        opt.put("lr_drop_at_trajectories", dropAt);
        opt.put("batch", c.batch());
        opt.put("loss", "L1, sum over sample, mean over batch");
        opt.put("data_points", dataPoints);
        opt.put("budget_meaning", "SFD-equivalent batches: one Adam step per trained student step of a drawn N, "
                + "each on fresh noised data points");
        if (target != null) {
            opt.put("target_ema", config.targetEma());
            opt.put("target_every", config.targetEvery());
            opt.put("consistency_function", "x + (t_min - t) * eps(x, t)");
        }
        return new StudentMetadata(info.id(), info.sha256(), info.dataset(), info.sampleShape(), info.classes(),
                c.schedule(), timestamps, student.stepEmbedding(), c.afs(), SfdConfig.TRAINING_GUIDANCE, c.solver(), c.k(),
                JSON_WRITER.apply(opt), seen, c.seed(), StudentMetadata.CODE_VERSION, Instant.now().toString());
    }

    /** Every parameter except the constants an import marked frozen. */
    static List<String> trainable(OnnxModel model) {
        String frozen = model.metadata().getOrDefault(TeacherMetadata.FROZEN, "");
        Set<String> skip = frozen.isBlank() ? Set.of() : Set.of(frozen.split(","));
        return model.parameters().keySet().stream().filter(p -> !skip.contains(p)).toList();
    }

    static FloatTensor filled(int b, double v) {
        float[] d = new float[b];
        Arrays.fill(d, (float) v);
        return new FloatTensor(new long[] {b}, d);
    }
}
