package dev.sfd.pipeline.trainer;

/**
 * When to checkpoint: every {@code everySteps} optimiser steps and/or every {@code everyNanos} of
 * training, whichever comes first (0 disables a criterion; at least one must be set). Nothing is
 * due before a step has been taken since the last checkpoint.
 */
public record CheckpointPolicy(long everySteps, long everyNanos) {

    public CheckpointPolicy {
        if (everySteps < 0 || everyNanos < 0 || (everySteps == 0 && everyNanos == 0)) {
            throw new IllegalArgumentException("checkpoint policy needs sfd.trainer.checkpoint-every-steps > 0 and/or "
                    + "sfd.trainer.checkpoint-every > 0, got " + everySteps + " steps / " + everyNanos + " ns");
        }
    }

    public boolean due(long stepsSinceLast, long nanosSinceLast) {
        if (stepsSinceLast <= 0) {
            return false;
        }
        return (everySteps > 0 && stepsSinceLast >= everySteps) || (everyNanos > 0 && nanosSinceLast >= everyNanos);
    }
}
