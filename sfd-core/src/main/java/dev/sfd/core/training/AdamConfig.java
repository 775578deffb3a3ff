package dev.sfd.core.training;

/**
 * Adam hyper-parameters (no weight decay). The learning rate comes from a
 * {@link LearningRateSchedule} per step.
 */
public record AdamConfig(double beta1, double beta2, double epsilon) {

    public AdamConfig {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0)) {
            throw new IllegalArgumentException("invalid Adam config: beta1=" + beta1 + ", beta2=" + beta2
                    + ", epsilon=" + epsilon);
        }
    }

    /** β1 0.9, β2 0.999, ε 1e-8 (the SFD reference). */
    public static AdamConfig defaults() {
        return new AdamConfig(0.9, 0.999, 1e-8);
    }
}
