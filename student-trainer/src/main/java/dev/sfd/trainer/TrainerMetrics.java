package dev.sfd.trainer;

/** Metric names of the student trainer (Micrometer; Prometheus at /q/metrics). */
public final class TrainerMetrics {

    public static final String STEPS = "sfd.trainer.optimizer.steps";
    public static final String TRAJECTORIES = "sfd.trainer.trajectories.trained";
    /** Trajectory block records received (refused ones included). */
    public static final String BLOCKS = "sfd.trainer.blocks.received";
    /** Blocks waiting in the training queue (the consumer pauses when it is full). */
    public static final String QUEUED = "sfd.trainer.queue.blocks";
    /** Blocks in the local replay cache. */
    public static final String CACHED = "sfd.trainer.replay.cache.blocks";
    public static final String LOSS = "sfd.trainer.loss";
    public static final String DUPLICATES = "sfd.trainer.duplicates";
    public static final String DEAD_LETTERS = "sfd.trainer.dead.letters";
    public static final String CHECKPOINT_AGE = "sfd.trainer.checkpoint.age.seconds";
    public static final String LAST_VERSION = "sfd.trainer.checkpoint.last.version";
    public static final String LAG = "sfd.trainer.consumer.lag";
    public static final String PASS = "sfd.trainer.pass";
    public static final String BUFFERED = "sfd.trainer.buffered";

    private TrainerMetrics() {
    }
}
