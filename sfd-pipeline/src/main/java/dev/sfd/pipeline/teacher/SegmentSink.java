package dev.sfd.pipeline.teacher;

import java.util.concurrent.CompletionStage;

/** Where segments go (teacher-service: the {@code sfd.trajectories} channel). */
@FunctionalInterface
public interface SegmentSink {

    /** Sends one record; the stage completes when the broker has acknowledged it, or fails. */
    CompletionStage<Void> send(SegmentRecord record);
}
