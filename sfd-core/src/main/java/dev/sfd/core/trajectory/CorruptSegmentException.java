package dev.sfd.core.trajectory;

/**
 * Thrown by {@link TrajectorySegmentCodec#decode(byte[])} for bytes that are not a valid
 * trajectory segment. {@link #reason()} classifies the problem (for metrics and the dead-letter
 * header), the message explains it with the offending values.
 */
public class CorruptSegmentException extends Exception {

    /** What is wrong with the bytes. */
    public enum Reason {
        /** Fewer bytes than the format needs (or than the record declares). */
        TRUNCATED,
        /** The first four bytes are not "SFDT". */
        BAD_MAGIC,
        /** A schema version this code does not read. */
        UNSUPPORTED_VERSION,
        /** More bytes than the record declares. */
        TRAILING_BYTES,
        /** The CRC32C over the record does not match the stored one. */
        CHECKSUM_MISMATCH,
        /** Unknown dtype code or flag bits. */
        UNKNOWN_DTYPE,
        /** A length or count field is impossible (negative, past the end, bad rank). */
        MALFORMED,
        /** Fields contradict each other (index/total/step, header vs segment). */
        INCONSISTENT_FIELDS,
        /** The first segment's header JSON is missing or invalid. */
        BAD_HEADER,
        /** The payload length does not match the shape and dtype. */
        SHAPE_PAYLOAD_MISMATCH,
        /** NaN or infinity in the payload or the timestamp. */
        NON_FINITE_VALUE
    }

    private final Reason reason;

    public CorruptSegmentException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public CorruptSegmentException(Reason reason, String detail, Throwable cause) {
        super(reason + ": " + detail, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
