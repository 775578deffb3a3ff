package dev.sfd.core.trajectory;

/**
 * Thrown by {@link TrajectoryBlockCodec#decode} for bytes that are not a trajectory block this
 * trainer may use. {@link #reason()} classifies the problem (for metrics and the dead-letter
 * header), {@link #field()} names the field of the byte layout that is wrong, and the message
 * gives the bad value, the rule and what to do.
 */
public class CorruptBlockException extends Exception {

    /** What is wrong with the bytes. */
    public enum Reason {
        /** Fewer bytes than the field needs (or than the block declares). */
        TRUNCATED,
        /** The first four bytes are not "SFDB". */
        BAD_MAGIC,
        /** A schema version this code does not read. */
        UNSUPPORTED_VERSION,
        /** The CRC32C over the block does not match the stored one. */
        CHECKSUM_MISMATCH,
        /** Unknown dtype code. */
        UNKNOWN_DTYPE,
        /** A field holds an impossible value (negative count, bad rank, unknown flag, trailing bytes). */
        MALFORMED,
        /** The points do not have the size the header's N, B and sample shape give. */
        SHAPE_MISMATCH,
        /** NaN or infinity in the points or the timestamps, or timestamps not decreasing. */
        NON_FINITE_VALUE,
        /** The block was made by another teacher than the one expected (sha256 differs). */
        TEACHER_MISMATCH
    }

    private final Reason reason;
    private final String field;

    public CorruptBlockException(Reason reason, String field, String detail) {
        super(reason + " (field " + field + "): " + detail);
        this.reason = reason;
        this.field = field;
    }

    public Reason reason() {
        return reason;
    }

    /** The field of the byte layout (README, Contracts) that is wrong, e.g. {@code points} or {@code teacher_sha256}. */
    public String field() {
        return field;
    }
}
