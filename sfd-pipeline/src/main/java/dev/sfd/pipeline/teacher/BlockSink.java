package dev.sfd.pipeline.teacher;

import java.util.concurrent.CompletionStage;

/** Where blocks go (teacher-service: the {@code sfd.trajectories} topic). */
@FunctionalInterface
public interface BlockSink {

    /** Sends one block; the stage completes when the broker has acknowledged it, or fails. */
    CompletionStage<Void> send(BlockRecord record);
}
