package dev.sfd.core.trajectory;

import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.BAD_HEADER;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.BAD_MAGIC;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.CHECKSUM_MISMATCH;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.INCONSISTENT_FIELDS;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.MALFORMED;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.NON_FINITE_VALUE;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.SHAPE_PAYLOAD_MISMATCH;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.TRAILING_BYTES;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.TRUNCATED;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.UNKNOWN_DTYPE;
import static dev.sfd.core.trajectory.CorruptSegmentException.Reason.UNSUPPORTED_VERSION;

import dev.sfd.core.tensor.FloatTensor;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Binary encoding of a {@link TrajectorySegment} (the Kafka record value). All integers and
 * floats are little-endian.
 *
 * <pre>
 * offset  size  field
 *  0      4     magic "SFDT" (0x53 0x46 0x44 0x54)
 *  4      2     schema version, uint16 = 1
 *  6      1     dtype code: 1 = float32, 2 = float16
 *  7      1     flags: bit 0 set = header JSON present (exactly for segment 0); other bits 0
 *  8      4     total record length in bytes, checksum included (int32)
 * 12      4     segment index i (int32)
 * 16      4     total segments N + 1 (int32)
 * 20      4     step n = N − i (int32, redundant, checked)
 * 24      8     timestamp t_n (float64)
 * 32      2     trajectory id length L (uint16)
 * 34      L     trajectory id, UTF-8
 *  .      1     rank R (uint8, 0…8)
 *  .      4·R   dimensions (int32 each, ≥ 0)
 *  .      4     header JSON length J (int32; 0 unless flag bit 0)
 *  .      J     header JSON, UTF-8 (see {@link TrajectoryHeaderJson})
 *  .      4     payload length P (int32) = product(dimensions) × dtype size
 *  .      P     payload: elements in row-major order
 *  end−4  4     CRC32C of every preceding byte (uint32)
 * </pre>
 *
 * <p>{@link #decode(byte[])} checks, in this order: magic, version, declared length, checksum,
 * dtype and flags, field structure, field consistency, header JSON, payload size against shape,
 * finiteness; the first failure throws {@link CorruptSegmentException} with its reason.
 */
public final class TrajectorySegmentCodec {

    /** The bytes "SFDT". */
    public static final byte[] MAGIC = {'S', 'F', 'D', 'T'};
    /** Schema version written by this code, and the only one it reads. */
    public static final int SCHEMA_VERSION = 1;
    /** Highest tensor rank accepted. */
    public static final int MAX_RANK = 8;

    private static final int FIXED_PREFIX = 34; // through the trajectory id length
    private static final int CHECKSUM_BYTES = 4;
    private static final int FLAG_HEADER = 1;

    private TrajectorySegmentCodec() {
    }

    /** Encodes with float32 payload (exact). */
    public static byte[] encode(TrajectorySegment segment) {
        return encode(segment, TensorDtype.FLOAT32);
    }

    /**
     * Encodes {@code segment}. With {@link TensorDtype#FLOAT16} values are rounded to the nearest
     * half; a value that is not finite, or overflows half (|v| ≥ 65520), is rejected.
     *
     * @throws IllegalArgumentException for non-finite values or a rank above {@value #MAX_RANK}
     */
    public static byte[] encode(TrajectorySegment segment, TensorDtype dtype) {
        FloatTensor tensor = segment.tensor();
        long[] shape = tensor.shape();
        String where = "trajectory " + segment.trajectoryId() + " segment " + segment.segmentIndex();
        if (shape.length > MAX_RANK) {
            throw new IllegalArgumentException(where + ": rank " + shape.length + " above " + MAX_RANK);
        }
        tensor.requireFinite(where);
        byte[] id = segment.trajectoryId().getBytes(StandardCharsets.UTF_8);
        byte[] json = segment.header() == null ? new byte[0]
                : TrajectoryHeaderJson.toJson(segment.header()).getBytes(StandardCharsets.UTF_8);
        float[] data = tensor.data();
        int payloadBytes = Math.multiplyExact(data.length, dtype.bytes());
        int total = FIXED_PREFIX + id.length + 1 + 4 * shape.length + 4 + json.length + 4 + payloadBytes + CHECKSUM_BYTES;

        ByteBuffer buf = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC);
        buf.putShort((short) SCHEMA_VERSION);
        buf.put((byte) dtype.code());
        buf.put((byte) (segment.header() == null ? 0 : FLAG_HEADER));
        buf.putInt(total);
        buf.putInt(segment.segmentIndex());
        buf.putInt(segment.totalSegments());
        buf.putInt(segment.step());
        buf.putDouble(segment.timestamp());
        buf.putShort((short) id.length);
        buf.put(id);
        buf.put((byte) shape.length);
        for (long d : shape) {
            buf.putInt(Math.toIntExact(d));
        }
        buf.putInt(json.length);
        buf.put(json);
        buf.putInt(payloadBytes);
        for (int k = 0; k < data.length; k++) {
            if (dtype == TensorDtype.FLOAT32) {
                buf.putFloat(data[k]);
            } else {
                short h = Float16.toHalfBits(data[k]);
                if (!Float.isFinite(Float16.toFloat(h))) {
                    throw new IllegalArgumentException(where + ": value " + data[k] + " at flat index " + k
                            + " overflows float16 (largest finite " + Float16.MAX_VALUE + "); use float32");
                }
                buf.putShort(h);
            }
        }
        buf.putInt((int) crc32c(buf.array(), 0, total - CHECKSUM_BYTES));
        return buf.array();
    }

    /** The dtype of encoded bytes, read without decoding (null if unknown or too short). */
    public static TensorDtype peekDtype(byte[] bytes) {
        return bytes.length > 6 ? TensorDtype.fromCode(bytes[6] & 0xFF) : null;
    }

    /** Decodes and validates bytes written by {@link #encode}. */
    public static TrajectorySegment decode(byte[] bytes) throws CorruptSegmentException {
        if (bytes == null || bytes.length < MAGIC.length) {
            throw new CorruptSegmentException(TRUNCATED, "record has " + (bytes == null ? "no value" : bytes.length + " bytes")
                    + "; the magic alone needs " + MAGIC.length);
        }
        if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new CorruptSegmentException(BAD_MAGIC, "first bytes are " + hex(bytes, 0, MAGIC.length)
                    + ", expected 53 46 44 54 (\"SFDT\"); not a trajectory segment");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 6) {
            throw new CorruptSegmentException(TRUNCATED, "record has " + bytes.length + " bytes, too short for the version");
        }
        int version = buf.getShort(4) & 0xFFFF;
        if (version != SCHEMA_VERSION) {
            throw new CorruptSegmentException(UNSUPPORTED_VERSION, "schema version " + version
                    + "; this reader supports version " + SCHEMA_VERSION + " only");
        }
        if (bytes.length < FIXED_PREFIX + CHECKSUM_BYTES) {
            throw new CorruptSegmentException(TRUNCATED, "record has " + bytes.length + " bytes; the fixed fields need "
                    + (FIXED_PREFIX + CHECKSUM_BYTES));
        }
        int declared = buf.getInt(8);
        if (bytes.length < declared) {
            throw new CorruptSegmentException(TRUNCATED, "record has " + bytes.length + " bytes but declares " + declared);
        }
        if (bytes.length > declared) {
            throw new CorruptSegmentException(declared < FIXED_PREFIX + CHECKSUM_BYTES ? MALFORMED : TRAILING_BYTES,
                    "record has " + bytes.length + " bytes but declares " + declared);
        }
        long stored = buf.getInt(bytes.length - CHECKSUM_BYTES) & 0xFFFFFFFFL;
        long computed = crc32c(bytes, 0, bytes.length - CHECKSUM_BYTES);
        if (stored != computed) {
            throw new CorruptSegmentException(CHECKSUM_MISMATCH, String.format(
                    "stored CRC32C %08x, computed %08x over %d bytes", stored, computed, bytes.length - CHECKSUM_BYTES));
        }
        try {
            return parseBody(buf.limit(bytes.length - CHECKSUM_BYTES));
        } catch (BufferUnderflowException e) {
            throw new CorruptSegmentException(MALFORMED, "a length field points past the end of the record", e);
        }
    }

    private static TrajectorySegment parseBody(ByteBuffer buf) throws CorruptSegmentException {
        TensorDtype dtype = TensorDtype.fromCode(buf.get(6) & 0xFF);
        if (dtype == null) {
            throw new CorruptSegmentException(UNKNOWN_DTYPE, "dtype code " + (buf.get(6) & 0xFF)
                    + "; known: 1 = float32, 2 = float16");
        }
        int flags = buf.get(7) & 0xFF;
        if ((flags & ~FLAG_HEADER) != 0) {
            throw new CorruptSegmentException(MALFORMED, "unknown flag bits " + Integer.toBinaryString(flags));
        }
        buf.position(12);
        int index = buf.getInt();
        int total = buf.getInt();
        int step = buf.getInt();
        double timestamp = buf.getDouble();
        String id = new String(bytes(buf, buf.getShort() & 0xFFFF, "trajectory id"), StandardCharsets.UTF_8);
        String where = "trajectory " + id + " segment " + index + ": ";

        int rank = buf.get() & 0xFF;
        if (rank > MAX_RANK) {
            throw new CorruptSegmentException(MALFORMED, where + "rank " + rank + " above " + MAX_RANK);
        }
        long[] shape = new long[rank];
        long elements = 1;
        for (int k = 0; k < rank; k++) {
            shape[k] = buf.getInt();
            if (shape[k] < 0) {
                throw new CorruptSegmentException(MALFORMED, where + "negative dimension in shape " + Arrays.toString(shape));
            }
            try {
                elements = Math.multiplyExact(elements, shape[k]);
            } catch (ArithmeticException e) {
                throw new CorruptSegmentException(MALFORMED, where + "shape " + Arrays.toString(shape) + " overflows");
            }
        }
        byte[] json = bytes(buf, buf.getInt(), "header JSON");
        int payloadBytes = buf.getInt();
        if (payloadBytes < 0 || payloadBytes != buf.remaining()) {
            throw new CorruptSegmentException(SHAPE_PAYLOAD_MISMATCH, where + "payload length field says " + payloadBytes
                    + " bytes but " + buf.remaining() + " bytes remain before the checksum");
        }
        if (elements * dtype.bytes() != payloadBytes) {
            throw new CorruptSegmentException(SHAPE_PAYLOAD_MISMATCH, where + "shape " + Arrays.toString(shape) + " of "
                    + dtype.wireName() + " needs " + elements * dtype.bytes() + " bytes, payload has " + payloadBytes);
        }

        if (step != total - 1 - index) {
            throw new CorruptSegmentException(INCONSISTENT_FIELDS, where + "step " + step + " but index " + index
                    + " of " + total + " segments means step " + (total - 1 - index));
        }
        if (((flags & FLAG_HEADER) != 0) != (json.length > 0)) {
            throw new CorruptSegmentException(BAD_HEADER, where + "header flag " + (flags & FLAG_HEADER)
                    + " but header JSON length " + json.length);
        }
        TrajectoryHeader header = null;
        if (json.length > 0) {
            try {
                header = TrajectoryHeaderJson.fromJson(new String(json, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new CorruptSegmentException(BAD_HEADER, where + e.getMessage(), e);
            }
        }
        if (!Double.isFinite(timestamp)) {
            throw new CorruptSegmentException(NON_FINITE_VALUE, where + "timestamp is " + timestamp);
        }
        float[] data = new float[(int) elements];
        for (int k = 0; k < data.length; k++) {
            data[k] = dtype == TensorDtype.FLOAT32 ? buf.getFloat() : Float16.toFloat(buf.getShort());
            if (!Float.isFinite(data[k])) {
                throw new CorruptSegmentException(NON_FINITE_VALUE, where + "payload value " + data[k]
                        + " at flat index " + k + " of shape " + Arrays.toString(shape));
            }
        }
        try {
            return new TrajectorySegment(id, index, total, timestamp, new FloatTensor(shape, data), header);
        } catch (IllegalArgumentException e) {
            throw new CorruptSegmentException(INCONSISTENT_FIELDS, e.getMessage(), e);
        }
    }

    private static byte[] bytes(ByteBuffer buf, int length, String what) throws CorruptSegmentException {
        if (length < 0 || length > buf.remaining()) {
            throw new CorruptSegmentException(MALFORMED, what + " length " + length + " but only " + buf.remaining()
                    + " bytes remain");
        }
        byte[] out = new byte[length];
        buf.get(out);
        return out;
    }

    /** CRC32C of {@code bytes[offset, offset + length)}. */
    static long crc32c(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }

    private static String hex(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int k = from; k < to; k++) {
            sb.append(k > from ? " " : "").append(String.format("%02x", bytes[k] & 0xFF));
        }
        return sb.toString();
    }
}
