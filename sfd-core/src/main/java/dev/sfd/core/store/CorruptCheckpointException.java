package dev.sfd.core.store;

/** A checkpoint file does not match its manifest (size or SHA-256): it must not be served. */
public class CorruptCheckpointException extends IllegalStateException {

    public CorruptCheckpointException(String message) {
        super(message);
    }
}
