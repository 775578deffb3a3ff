package dev.sfd.trainer;

/** Metric names of the student trainer (Micrometer; Prometheus at /q/metrics). */
public final class TrainerMetrics {

    public static final String STEPS = "sfd.trainer.optimizer.steps";
    public static final String TRAJECTORIES = "sfd.trainer.trajectories.trained";
    public static final String SEGMENTS = "sfd.trainer.segments.received";
    public static final String LOSS = "sfd.trainer.loss";
    public static final String DUPLICATES = "sfd.trainer.duplicates";
    public static final String DEAD_LETTERS = "sfd.trainer.dead.letters";
    public static final String GIVEN_UP = "sfd.trainer.trajectories.given.up";
    public static final String CHECKPOINT_AGE = "sfd.trainer.checkpoint.age.seconds";
    public static final String LAST_VERSION = "sfd.trainer.checkpoint.last.version";
    public static final String LAG = "sfd.trainer.consumer.lag";
    public static final String PASS = "sfd.trainer.pass";
    public static final String BUFFERED = "sfd.trainer.buffered";

    private TrainerMetrics() {
    }
}
