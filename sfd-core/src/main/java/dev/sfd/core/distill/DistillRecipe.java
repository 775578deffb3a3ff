package dev.sfd.core.distill;

import java.util.Locale;

/**
 * The default distillation recipe of {@code sfd distill} per built-in teacher (the best one found
 * in docs/quality-recipe.md), and the reference recipe for any other teacher. Every value can be
 * overridden by its flag; a recipe only fills in what the user did not give.
 *
 * @param solver       teacher solver
 * @param k            teacher sub-steps per student interval
 * @param carryHistory multistep history carried across student timestamps
 * @param batch        trajectories per batch
 * @param learningRate Adam learning rate
 * @param lrSchedule   "step", "cosine" or "constant"
 * @param budget       distinct teacher trajectories
 * @param epochs       passes over them (stored and replayed when > 1)
 * @param loss         "l1", "l2" or "pseudo-huber"
 * @param emaHalfLife  EMA half-life in optimiser steps (0 = off)
 */
public record DistillRecipe(String solver, int k, boolean carryHistory, int batch, double learningRate,
        String lrSchedule, long budget, int epochs, String loss, double emaHalfLife) {

    /** The SFD paper's recipe (DPM-Solver++(3M), K = 4, L1, lr/10 after half), for teachers without a tuned one. */
    public static final DistillRecipe REFERENCE = new DistillRecipe("dpm++3m", 4, false, 256, 1e-3, "step", 100_000, 1,
            "l1", 0);

    /**
     * Text-to-image pipelines (issue 22): the paper's solver at ω = 1 with the pseudo-Huber loss. Measured on the
     * committed shapes-sd fixture on 2 cores (NFE 2–5, 49 152 trajectories, about 10 min 40 s): on the development
     * seeds (seed 0, 1024 samples) pseudo-Huber took the NFE-2 FD from 280.2 (L1, the paper's loss) to 196.3
     * (teacher@64 197.9, best solver 246.8); held-out figures over 3 seeds in docs/bring-your-own-teacher.md.
     */
    public static final DistillRecipe TEXT_TO_IMAGE = new DistillRecipe("dpm++3m", 4, false, 32, 1e-3, "step", 49_152, 1,
            "pseudo-huber", 0);

    /** The recipe for a teacher id: tuned for the built-in teachers, {@link #REFERENCE} otherwise. */
    public static DistillRecipe forTeacher(String teacherId) {
        return switch (teacherId == null ? "" : teacherId.toLowerCase(Locale.ROOT)) {
            // docs/quality-recipe.md: history carried and pseudo-Huber, NFE-2 FD 0.0021 -> 0.0013 (teacher@64: 0.0017)
            case "mixture2d" -> new DistillRecipe("dpm++2m", 8, true, 64, 1e-3, "step", 170_000, 1, "pseudo-huber", 0);
            // docs/quality-recipe.md: DPM-Solver++(2M) K=8 targets and pseudo-Huber: NFE-2 FD 25.6 -> 17.2 (teacher@32: 15.2)
            case "shapes" -> new DistillRecipe("dpm++2m", 8, false, 32, 3e-4, "step", 20_000, 1, "pseudo-huber", 0);
            default -> REFERENCE;
        };
    }

    /** Human-readable one-liner for logs. */
    public String describe() {
        return String.format(Locale.ROOT, "%s K=%d%s, batch %d, lr %g (%s), %d trajectories x %d epoch(s), loss %s, EMA %s",
                solver, k, carryHistory ? " (history carried)" : "", batch, learningRate, lrSchedule, budget, epochs, loss,
                emaHalfLife > 0 ? "half-life " + emaHalfLife + " steps" : "off");
    }
}
