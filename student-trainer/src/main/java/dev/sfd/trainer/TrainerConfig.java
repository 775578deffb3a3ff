package dev.sfd.trainer;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The {@code sfd.trainer.*} settings (defaults documented in README.md and application.properties). */
@ConfigMapping(prefix = "sfd.trainer")
public interface TrainerConfig {

    /** Student name (checkpoints under students/<name>/); default {@code <teacher id>-student}. */
    Optional<String> studentName();

    /** Consumer group of the trajectory channel. */
    @WithDefault("sfd-student-trainer")
    String groupId();

    // The recipe knobs below default to the recipe `sfd distill` uses for the teacher (DistillRecipe):
    // unset = the same student as `sfd distill --teacher <the teacher>`.

    /** Trajectories to train on in total (all passes); default: the recipe's budget × passes. */
    Optional<Long> budget();

    /** Trajectories per Adam step; default: the recipe's batch. */
    Optional<Integer> batch();

    /** Adam learning rate; default: the recipe's. */
    Optional<Double> learningRate();

    /** Student step loss: l1 (the paper), l2 or pseudo-huber; default: the recipe's. */
    Optional<String> loss();

    /** step (lr/10 after lr-drop-fraction of the budget) | cosine | constant; default: the recipe's. */
    Optional<String> lrSchedule();

    /** Fraction of the budget after which the step schedule drops lr to lr/10. */
    @WithDefault("0.5")
    double lrDropFraction();

    /** EMA half-life of the saved student's weights in optimiser steps (0 = off); default: the recipe's. */
    Optional<Double> emaHalfLife();

    /** Blocks the training queue holds; beyond it the consumer pauses its partitions. */
    @WithDefault("64")
    int intakeQueueBlocks();

    /** Records per poll of the trajectory topic (each a block of up to sfd.teacher.block-size trajectories). */
    @WithDefault("500")
    int maxPollRecords();

    /** Where the local block cache of replay passes lives (default: the JVM's temporary directory). */
    Optional<String> replayCacheDir();

    /** Trajectories of one N held before a random batch is drawn. */
    @WithDefault("512")
    int shuffleWindow();

    @WithDefault("0")
    long shuffleSeed();

    /** Checkpoint after this many optimiser steps (0 = only by time). */
    @WithDefault("200")
    long checkpointEverySteps();

    /** Checkpoint after this much time with at least one step (0 = only by steps). */
    @WithDefault("5m")
    Duration checkpointEvery();

    /** Newest versions kept in the bucket (the last announced one is never deleted). */
    @WithDefault("5")
    int keepVersions();

    /** Passes over the trajectories (pass 2 on from the local block cache); default: the recipe's epochs. */
    Optional<Integer> replayPasses();

    /** Caught up with the topic and nothing new for this long: the pass (or the input) has ended. */
    @WithDefault("10s")
    Duration idleEnd();

    /** Writer lease time-to-live (one writer per student name). */
    @WithDefault("30s")
    Duration leaseTtl();

    @WithDefault("500ms")
    Duration retryInitial();

    @WithDefault("30s")
    Duration retryMax();
}
