package dev.sfd.core.training;

/** The learning rate of optimiser step {@code step} (1-based). */
@FunctionalInterface
public interface LearningRateSchedule {

    double at(long step);

    static LearningRateSchedule constant(double lr) {
        return step -> lr;
    }

    /** lr until step {@code dropAt} − 1, then lr·factor (SFD: factor 0.1 after half the budget). */
    static LearningRateSchedule constantThenDrop(double lr, long dropAt, double factor) {
        return step -> step < dropAt ? lr : lr * factor;
    }
}
