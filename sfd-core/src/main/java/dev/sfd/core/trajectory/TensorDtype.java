package dev.sfd.core.trajectory;

/**
 * Element type of a trajectory segment's payload on the wire, with its one-byte code in the
 * binary format and its name in Kafka headers. Both are little-endian.
 */
public enum TensorDtype {
    FLOAT32(1, 4, "float32"),
    FLOAT16(2, 2, "float16");

    private final int code;
    private final int bytes;
    private final String wireName;

    TensorDtype(int code, int bytes, String wireName) {
        this.code = code;
        this.bytes = bytes;
        this.wireName = wireName;
    }

    /** The byte stored at offset 6 of an encoded segment. */
    public int code() {
        return code;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** Name used in the {@code sfd.dtype} Kafka header. */
    public String wireName() {
        return wireName;
    }

    /** The dtype with this code, or null if none. */
    public static TensorDtype fromCode(int code) {
        for (TensorDtype d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        return null;
    }
}
