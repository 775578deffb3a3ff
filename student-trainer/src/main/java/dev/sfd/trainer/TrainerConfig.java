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

    /** Trajectories to train on in total (all passes). */
    @WithDefault("100000")
    long budget();

    @WithDefault("64")
    int batch();

    @WithDefault("1e-3")
    double learningRate();

    /** Student step loss: l1 (the paper), l2 or pseudo-huber (best measured, docs/quality-recipe.md). */
    @WithDefault("pseudo-huber")
    String loss();

    /** Fraction of the budget after which lr drops to lr/10. */
    @WithDefault("0.5")
    double lrDropFraction();

    /** Trajectories of one N held before a random batch is drawn. */
    @WithDefault("512")
    int shuffleWindow();

    @WithDefault("0")
    long shuffleSeed();

    @WithDefault("4096")
    int maxPending();

    @WithDefault("5m")
    Duration assemblyTimeout();

    @WithDefault("100000")
    int rememberIds();

    /** Checkpoint after this many optimiser steps (0 = only by time). */
    @WithDefault("200")
    long checkpointEverySteps();

    /** Checkpoint after this much time with at least one step (0 = only by steps). */
    @WithDefault("5m")
    Duration checkpointEvery();

    /** Newest versions kept in the bucket (the last announced one is never deleted). */
    @WithDefault("5")
    int keepVersions();

    /** Passes over the trajectory topic. */
    @WithDefault("1")
    int replayPasses();

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
