package dev.sfd.pipeline.sampler;

/** A checkpoint that must not be served (corrupt, not a student, incompatible, fails warm-up). */
final class CheckpointRefusedException extends Exception {

    CheckpointRefusedException(String reason) {
        super(reason);
    }
}
