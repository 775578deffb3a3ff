package dev.sfd.pipeline.sampler;

/**
 * Why a sampling request or an admin action failed, as one of a few kinds that map one-to-one to
 * gRPC status codes in the service ({@link Kind#name()} is the code's name). The message says what
 * to change; for {@link Kind#INVALID_ARGUMENT} it starts with the field's name.
 */
public final class SamplerException extends RuntimeException {

    /** The failure classes (named like the gRPC status codes they become). */
    public enum Kind {
        /** A bad request field: fix the request. */
        INVALID_ARGUMENT,
        /** The batch queue is full: retry later with backoff. */
        RESOURCE_EXHAUSTED,
        /** No model is loaded yet: retry later. */
        UNAVAILABLE,
        /** The caller's deadline passed before the work ran; it was not run. */
        DEADLINE_EXCEEDED,
        /** The caller cancelled; the queued work was dropped. */
        CANCELLED,
        /** (admin) The version does not exist in the store. */
        NOT_FOUND,
        /** (admin) The version exists but was refused, or there is nothing to roll back to. */
        FAILED_PRECONDITION
    }

    private final Kind kind;
    private final String field;

    public SamplerException(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    /** A bad field: the message is prefixed with the field's name. */
    public static SamplerException invalid(String field, String problem) {
        return new SamplerException(Kind.INVALID_ARGUMENT, field, field + ": " + problem);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault (INVALID_ARGUMENT only), else null. */
    public String field() {
        return field;
    }
}
