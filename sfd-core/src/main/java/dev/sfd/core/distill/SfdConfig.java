package dev.sfd.core.distill;

import dev.sfd.core.diffusion.solver.Solvers;
import dev.sfd.core.training.AdamConfig;
import java.util.List;
import java.util.TreeSet;

/**
 * Settings of one SFD distillation run (SFD.md "Training", "One student for many step counts").
 * Step counts are student steps N (intervals of Γ(N)); with AFS the student spends N − 1 NFE.
 *
 * @param solver       teacher solver name ({@link Solvers#byName}); reference "dpm++3m"
 * @param k            teacher sub-steps per student step (reference 4)
 * @param schedule     Γ(N) family and noise range
 * @param stepCounts   the set of N drawn uniformly per batch (one value = plain SFD)
 * @param batch        trajectories per batch
 * @param learningRate Adam learning rate (lr/10 after {@code lrDropFraction} of the budget)
 * @param budget       teacher trajectories to train on
 * @param seed         seed of everything random (seeds of x_N, labels, N, new layers)
 * @param afs          analytical first step (the first step is then not trained)
 * @param threads      ONNX Runtime intra-op threads (student and teacher sessions)
 * @param adam         Adam β1, β2, ε (reference 0.9, 0.999, 1e-8)
 * @param lrDropFraction fraction of the budget after which lr drops to lr/10 (reference 0.5)
 * @param progress     show a progress bar on the console
 * @param loss         distance d of a student step: "l1" (reference), "l2" or "pseudo-huber" (see {@link StudentStepLoss})
 * @param huberC       c of the pseudo-Huber loss per element, sqrt(δ² + c²) − c (ignored by the others)
 * @param lrSchedule   "step" (lr/10 after {@code lrDropFraction}), "cosine" (lr·(1+cos(π·progress))/2 over the
 *                     budget, floored at lr/100) or "constant"
 * @param emaHalfLife  half-life, in optimiser steps, of the exponential moving average of the student's
 *                     weights that is saved and sampled with; 0 = no EMA (the last weights)
 * @param carryHistory the teacher's multistep solver keeps its history across student timestamps (one pass
 *                     over the K-refined Γ(N)) instead of restarting at each student timestamp
 */
public record SfdConfig(String solver, int k, ScheduleSpec schedule, List<Integer> stepCounts, int batch,
        double learningRate, long budget, long seed, boolean afs, int threads, AdamConfig adam,
        double lrDropFraction, boolean progress, String loss, double huberC, String lrSchedule, double emaHalfLife,
        boolean carryHistory) {

    /** Known values of {@link #loss}. */
    public static final List<String> LOSSES = List.of("l1", "l2", "pseudo-huber");
    /** Known values of {@link #lrSchedule}. */
    public static final List<String> LR_SCHEDULES = List.of("step", "cosine", "constant");

    /** Guidance scale used in training: conditional branch only (SFD.md "Guidance"). */
    public static final double TRAINING_GUIDANCE = 1.0;

    public SfdConfig {
        String where = "SFD config: ";
        try {
            Solvers.byName(solver);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        if (k < 1) {
            throw new IllegalArgumentException(where + "teacher sub-steps K must be >= 1, got " + k);
        }
        if (schedule == null) {
            throw new IllegalArgumentException(where + "no schedule");
        }
        if (stepCounts == null || stepCounts.isEmpty()) {
            throw new IllegalArgumentException(where + "the set of step counts N is empty; give at least one, e.g. 4");
        }
        stepCounts = List.copyOf(new TreeSet<>(stepCounts));
        int minSteps = afs ? 2 : 1;
        for (int n : stepCounts) {
            if (n < minSteps) {
                throw new IllegalArgumentException(where + "step count N = " + n + " is too small: need N >= " + minSteps
                        + (afs ? " with AFS (its first step is analytic and not trained, so N = 1 trains nothing)" : ""));
            }
        }
        if (batch < 1) {
            throw new IllegalArgumentException(where + "batch must be >= 1, got " + batch);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(where + "learning rate must be finite and > 0, got " + learningRate);
        }
        if (budget < batch) {
            throw new IllegalArgumentException(where + "budget of " + budget + " trajectories is below one batch of "
                    + batch);
        }
        if (threads < 1) {
            throw new IllegalArgumentException(where + "threads must be >= 1, got " + threads);
        }
        if (adam == null) {
            throw new IllegalArgumentException(where + "no Adam settings");
        }
        if (!(lrDropFraction > 0 && lrDropFraction <= 1)) {
            throw new IllegalArgumentException(where + "lr drop fraction must be in (0, 1], got " + lrDropFraction);
        }
        loss = loss == null ? "" : loss.trim().toLowerCase(java.util.Locale.ROOT);
        if (!LOSSES.contains(loss)) {
            throw new IllegalArgumentException(where + "unknown loss '" + loss + "'; use one of " + LOSSES);
        }
        if (!(huberC > 0) || !Double.isFinite(huberC)) {
            throw new IllegalArgumentException(where + "pseudo-Huber c must be finite and > 0, got " + huberC);
        }
        lrSchedule = lrSchedule == null ? "" : lrSchedule.trim().toLowerCase(java.util.Locale.ROOT);
        if (!LR_SCHEDULES.contains(lrSchedule)) {
            throw new IllegalArgumentException(where + "unknown lr schedule '" + lrSchedule + "'; use one of "
                    + LR_SCHEDULES);
        }
        if (!(emaHalfLife >= 0) || !Double.isFinite(emaHalfLife)) {
            throw new IllegalArgumentException(where + "EMA half-life must be finite and >= 0 optimiser steps (0 = off), got "
                    + emaHalfLife);
        }
    }

    /** Learning rate after {@code seen} of the budget's trajectories ({@link #lrSchedule}). */
    public double learningRateAt(long seen) {
        return switch (lrSchedule) {
            case "constant" -> learningRate;
            case "cosine" -> {
                double p = Math.min(1.0, (double) seen / budget);
                yield Math.max(learningRate * 0.01, learningRate * 0.5 * (1 + Math.cos(Math.PI * p)));
            }
            default -> seen < (long) Math.ceil(budget * lrDropFraction) ? learningRate : learningRate * 0.1;
        };
    }

    /** EMA decay per optimiser step, 0.5^(1/half-life); 0 when the EMA is off. */
    public double emaDecay() {
        return emaHalfLife > 0 ? Math.pow(0.5, 1.0 / emaHalfLife) : 0;
    }

    /** A copy with another budget (e.g. trajectories × epochs of a stored set). */
    public SfdConfig withBudget(long newBudget) {
        return new SfdConfig(solver, k, schedule, stepCounts, batch, learningRate, newBudget, seed, afs, threads, adam,
                lrDropFraction, progress, loss, huberC, lrSchedule, emaHalfLife, carryHistory);
    }

    /** Defaults of the reference recipe on {@code schedule}: DPM-Solver++(3M), K = 4, AFS, NFE 2…5 (N = 3…6). */
    public static Builder builder(ScheduleSpec schedule) {
        return new Builder(schedule);
    }

    /** NFE of a student sampling with N steps: N − 1 with AFS, N without. */
    public int nfe(int steps) {
        return afs ? steps - 1 : steps;
    }

    /** Student steps N for an NFE: NFE + 1 with AFS, NFE without. */
    public static int stepsForNfe(int nfe, boolean afs) {
        return afs ? nfe + 1 : nfe;
    }

    /** A copy training on one fixed N (plain SFD). */
    public SfdConfig withStepCounts(List<Integer> steps) {
        return new SfdConfig(solver, k, schedule, steps, batch, learningRate, budget, seed, afs, threads, adam,
                lrDropFraction, progress, loss, huberC, lrSchedule, emaHalfLife, carryHistory);
    }

    /** Fluent construction with the reference defaults. */
    public static final class Builder {
        private String solver = "dpm++3m";
        private int k = 4;
        private ScheduleSpec schedule;
        private List<Integer> stepCounts = List.of(3, 4, 5, 6);
        private int batch = 256;
        private double learningRate = 1e-3;
        private long budget = 100_000;
        private long seed = 0;
        private boolean afs = true;
        private int threads = 2;
        private AdamConfig adam = AdamConfig.defaults();
        private double lrDropFraction = 0.5;
        private boolean progress;
        private String loss = "l1";
        private double huberC = 0.00054;
        private String lrSchedule = "step";
        private double emaHalfLife = 0;
        private boolean carryHistory;

        private Builder(ScheduleSpec schedule) {
            this.schedule = schedule;
        }

        public Builder solver(String v) { solver = v; return this; }
        public Builder k(int v) { k = v; return this; }
        public Builder schedule(ScheduleSpec v) { schedule = v; return this; }
        /** Student steps N (see {@link #nfeCounts} for the NFE form). */
        public Builder stepCounts(List<Integer> v) { stepCounts = v; return this; }
        public Builder stepCounts(Integer... v) { stepCounts = List.of(v); return this; }
        /** NFE values, converted to N with the current AFS setting (set {@link #afs} first). */
        public Builder nfeCounts(List<Integer> nfe) {
            stepCounts = nfe.stream().map(n -> stepsForNfe(n, afs)).toList();
            return this;
        }
        public Builder batch(int v) { batch = v; return this; }
        public Builder learningRate(double v) { learningRate = v; return this; }
        public Builder budget(long v) { budget = v; return this; }
        public Builder seed(long v) { seed = v; return this; }
        public Builder afs(boolean v) { afs = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder adam(AdamConfig v) { adam = v; return this; }
        public Builder lrDropFraction(double v) { lrDropFraction = v; return this; }
        public Builder progress(boolean v) { progress = v; return this; }
        public Builder loss(String v) { loss = v; return this; }
        public Builder huberC(double v) { huberC = v; return this; }
        public Builder lrSchedule(String v) { lrSchedule = v; return this; }
        public Builder emaHalfLife(double v) { emaHalfLife = v; return this; }
        public Builder carryHistory(boolean v) { carryHistory = v; return this; }

        public SfdConfig build() {
            return new SfdConfig(solver, k, schedule, stepCounts, batch, learningRate, budget, seed, afs, threads,
                    adam, lrDropFraction, progress, loss, huberC, lrSchedule, emaHalfLife, carryHistory);
        }
    }
}
