package dev.sfd.core.distill.baselines;

import dev.sfd.core.distill.SfdConfig;

/**
 * Settings of a baseline run (TD or CD). Everything shared with SFD — teacher solver and K,
 * schedule, step-count set, batch, learning rate and its drop, budget, seed, AFS, threads, Adam —
 * comes from the same {@link SfdConfig}, so a baseline and SFD run at one configuration spend the
 * same number of Adam steps on batches of the same size (see {@link BaselineDistiller}).
 *
 * @param method      {@link BaselineMethod#TD} or {@link BaselineMethod#CD}
 * @param base        the shared settings
 * @param targetEma   CD only: EMA rate μ of the target network's weights (0 = the student itself with
 *                    stop-gradient; Song et al. 2023 use 0.95 for CD on CIFAR-10)
 * @param targetEvery CD only: the weights the target network serves are refreshed from the EMA every
 *                    this many Adam steps (1 = always current)
 */
public record BaselineConfig(BaselineMethod method, SfdConfig base, double targetEma, int targetEvery) {

    public BaselineConfig {
        if (method != BaselineMethod.TD && method != BaselineMethod.CD) {
            throw new IllegalArgumentException("baseline method must be td or cd, got " + method);
        }
        if (base == null) {
            throw new IllegalArgumentException("baseline " + method.id() + ": no settings");
        }
        if (!(targetEma >= 0 && targetEma < 1)) {
            throw new IllegalArgumentException("baseline " + method.id() + ": target EMA rate must be in [0, 1), got "
                    + targetEma + " (0 = the student itself with stop-gradient)");
        }
        if (targetEvery < 1) {
            throw new IllegalArgumentException("baseline " + method.id() + ": target refresh interval must be >= 1 "
                    + "Adam step, got " + targetEvery);
        }
    }

    /** Trajectory distillation with {@code base}. */
    public static BaselineConfig td(SfdConfig base) {
        return new BaselineConfig(BaselineMethod.TD, base, 0, 1);
    }

    /** Consistency distillation with {@code base} and the given target network. */
    public static BaselineConfig cd(SfdConfig base, double targetEma, int targetEvery) {
        return new BaselineConfig(BaselineMethod.CD, base, targetEma, targetEvery);
    }
}
