package dev.sfd.core.trajectory;

import static dev.sfd.core.trajectory.CorruptBlockException.Reason.BAD_MAGIC;
import static dev.sfd.core.trajectory.CorruptBlockException.Reason.CHECKSUM_MISMATCH;
import static dev.sfd.core.trajectory.CorruptBlockException.Reason.MALFORMED;
import static dev.sfd.core.trajectory.CorruptBlockException.Reason.NON_FINITE_VALUE;
import static dev.sfd.core.trajectory.CorruptBlockException.Reason.SHAPE_MISMATCH;
import static dev.sfd.core.trajectory.CorruptBlockException.Reason.TEACHER_MISMATCH;
import static dev.sfd.core.trajectory.CorruptBlockException.Reason.TRUNCATED;
import static dev.sfd.core.trajectory.CorruptBlockException.Reason.UNKNOWN_DTYPE;
import static dev.sfd.core.trajectory.CorruptBlockException.Reason.UNSUPPORTED_VERSION;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/**
 * The binary encoding of a {@link TrajectoryBlock}, the value of one {@code sfd.trajectories}
 * record (schema version 2). Little-endian throughout; strings are a uint16 byte length and UTF-8.
 *
 * <pre>
 * offset  size      field
 *  0      4         magic "SFDB" (53 46 44 42)
 *  4      2         schema_version, uint16 = 2
 *  6      1         dtype: 1 = float32, 2 = float16 (the points only)
 *  7      1         flags, 0 (reserved)
 *  8      4         length: total bytes of the block, CRC included (int32)
 * 12      4         rows B (int32 >= 1)
 * 16      4         steps N (int32 >= 1)
 * 20      4         k, teacher sub-steps per student step (int32 >= 1)
 * 24      32        teacher_sha256, raw bytes
 * 56      1         rank R of one sample (uint8, 1..8)
 * 57      4·R       sample_shape (int32 each >= 1); D = their product
 *  .      8·(N+1)   timestamps t_N..t_0 (float64)
 *  .      2+L       teacher_id
 *  .      2+L       solver
 *  .      2+L       schedule
 *  .      2+L       prompt_id
 *  .      2+L       prompt
 *  .      2+L       condition_ref ("" for none)
 *  .      4·B       sample_index per row (int32 >= 0)
 *  .      8·B       seed per row (int64)
 *  .      4·B       label per row (int32, -1 = none)
 *  .      4         points_bytes P (int32) = (N+1)·B·D·dtype size
 *  .      P         points [N+1][B][D]
 *  end-4  4         crc32c of every preceding byte (uint32)
 * </pre>
 *
 * <p>{@link #decode} checks, in this order: magic, version, declared length, checksum, dtype and
 * flags, each field's presence and range, the points' size against N, B and the sample shape,
 * finite and decreasing timestamps, finite points, and (when asked) the teacher's sha256. The first
 * failure throws {@link CorruptBlockException} naming the field.
 */
public final class TrajectoryBlockCodec {

    /** The bytes "SFDB". */
    public static final byte[] MAGIC = {'S', 'F', 'D', 'B'};
    /** Schema version written by this code, and the only one it reads. */
    public static final int SCHEMA_VERSION = 2;

    private static final int CHECKSUM_BYTES = 4;
    private static final int FIXED = 57; // through the rank
    private static final int MAX_STRING = 0xFFFF;

    private TrajectoryBlockCodec() {
    }

    /** Encodes with float32 points (exact). */
    public static byte[] encode(TrajectoryBlock block) {
        return encode(block, TensorDtype.FLOAT32);
    }

    /**
     * Encodes {@code block}. With {@link TensorDtype#FLOAT16} the points are rounded to the nearest
     * half; a point that is not finite, or overflows half (|v| >= 65520), is refused.
     *
     * @throws IllegalArgumentException for non-finite points or a string longer than 65535 bytes
     */
    public static byte[] encode(TrajectoryBlock block, TensorDtype dtype) {
        byte[][] strings = {utf8(block.teacherId(), "teacher_id"), utf8(block.solver(), "solver"),
                utf8(block.schedule(), "schedule"), utf8(block.promptId(), "prompt_id"),
                utf8(block.prompt(), "prompt"), utf8(block.conditionRef(), "condition_ref")};
        float[] points = block.points();
        int b = block.rows();
        int n1 = block.timestamps().length;
        int payload = Math.multiplyExact(points.length, dtype.bytes());
        long total = FIXED + 4L * block.sampleShape().length + 8L * n1 + 16L * b + 4 + payload + CHECKSUM_BYTES;
        for (byte[] s : strings) {
            total += 2 + s.length;
        }
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("block " + block.blockId() + " would take " + total
                    + " bytes; make blocks smaller (sfd.teacher.block-size)");
        }
        ByteBuffer buf = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).putShort((short) SCHEMA_VERSION).put((byte) dtype.code()).put((byte) 0);
        buf.putInt((int) total).putInt(b).putInt(block.steps()).putInt(block.k());
        buf.put(block.teacherShaBytes());
        buf.put((byte) block.sampleShape().length);
        for (long d : block.sampleShape()) {
            buf.putInt(Math.toIntExact(d));
        }
        for (double t : block.timestamps()) {
            buf.putDouble(t);
        }
        for (byte[] s : strings) {
            buf.putShort((short) s.length).put(s);
        }
        buf.asIntBuffer().put(block.sampleIndex());
        buf.position(buf.position() + 4 * b);
        buf.asLongBuffer().put(block.seed());
        buf.position(buf.position() + 8 * b);
        buf.asIntBuffer().put(block.label());
        buf.position(buf.position() + 4 * b);
        buf.putInt(payload);
        if (dtype == TensorDtype.FLOAT32) {
            for (int i = 0; i < points.length; i++) {
                if (!Float.isFinite(points[i])) {
                    throw nonFinite(block, i, points[i]);
                }
            }
            buf.asFloatBuffer().put(points);
            buf.position(buf.position() + payload);
        } else {
            for (int i = 0; i < points.length; i++) {
                short h = Float16.toHalfBits(points[i]);
                if (!Float.isFinite(Float16.toFloat(h))) {
                    throw new IllegalArgumentException("block " + block.blockId() + ": point value " + points[i]
                            + " at flat index " + i + " is not finite or overflows float16 (largest finite "
                            + Float16.MAX_VALUE + "); use sfd.teacher.dtype=float32");
                }
                buf.putShort(h);
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, buf.position());
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /** Decodes and validates a block, without checking which teacher made it. */
    public static TrajectoryBlock decode(byte[] bytes) throws CorruptBlockException {
        return decode(bytes, null);
    }

    /**
     * Decodes and validates a block; with {@code expectedTeacherSha256} non-null, a block of
     * another teacher is refused ({@link CorruptBlockException.Reason#TEACHER_MISMATCH}).
     */
    public static TrajectoryBlock decode(byte[] bytes, String expectedTeacherSha256) throws CorruptBlockException {
        if (bytes == null || bytes.length < 6) {
            throw new CorruptBlockException(TRUNCATED, "magic", "record has " + (bytes == null ? "no value"
                    : bytes.length + " bytes") + "; magic and version alone need 6");
        }
        if (!Arrays.equals(bytes, 0, 4, MAGIC, 0, 4)) {
            throw new CorruptBlockException(BAD_MAGIC, "magic", "first bytes are " + hex(bytes, 0, 4)
                    + ", expected 53 46 44 42 (\"SFDB\"); the record is not a trajectory block");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = buf.getShort(4) & 0xFFFF;
        if (version != SCHEMA_VERSION) {
            throw new CorruptBlockException(UNSUPPORTED_VERSION, "schema_version", "schema version " + version
                    + "; this reader supports version " + SCHEMA_VERSION + " only: run teacher and trainer of the "
                    + "same release");
        }
        if (bytes.length < 12) {
            throw new CorruptBlockException(TRUNCATED, "length", "record has " + bytes.length
                    + " bytes, too short for the length field");
        }
        int declared = buf.getInt(8);
        if (bytes.length < declared) {
            throw new CorruptBlockException(TRUNCATED, "length", "record has " + bytes.length + " bytes but the block "
                    + "declares " + declared + ": it was cut short");
        }
        if (bytes.length > declared || declared < FIXED + CHECKSUM_BYTES) {
            throw new CorruptBlockException(MALFORMED, "length", "record has " + bytes.length + " bytes but the block "
                    + "declares " + declared);
        }
        int body = bytes.length - CHECKSUM_BYTES;
        long stored = buf.getInt(body) & 0xFFFFFFFFL;
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, body);
        if (stored != crc.getValue()) {
            throw new CorruptBlockException(CHECKSUM_MISMATCH, "crc32c", String.format("stored %08x, computed %08x "
                    + "over %d bytes: the record was damaged in transit or at rest", stored, crc.getValue(), body));
        }
        return new Reader(buf.limit(body)).block(expectedTeacherSha256);
    }

    /** The dtype of encoded bytes, read without decoding (null if unknown or too short). */
    public static TensorDtype peekDtype(byte[] bytes) {
        return bytes != null && bytes.length > 6 ? TensorDtype.fromCode(bytes[6] & 0xFF) : null;
    }

    /** Reads the fields after the checksum passed; every shortfall names its field. */
    private static final class Reader {
        private final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf;
        }

        TrajectoryBlock block(String expectedSha) throws CorruptBlockException {
            TensorDtype dtype = TensorDtype.fromCode(buf.get(6) & 0xFF);
            if (dtype == null) {
                throw new CorruptBlockException(UNKNOWN_DTYPE, "dtype", "code " + (buf.get(6) & 0xFF)
                        + "; known: 1 = float32, 2 = float16");
            }
            if (buf.get(7) != 0) {
                throw new CorruptBlockException(MALFORMED, "flags", "flags are " + Integer.toBinaryString(
                        buf.get(7) & 0xFF) + "; schema 2 defines none (must be 0)");
            }
            buf.position(12);
            int b = positive("rows", buf.getInt());
            int n = positive("steps", buf.getInt());
            int k = positive("k", buf.getInt());
            byte[] sha = new byte[32];
            buf.get(sha);
            String shaHex = HexFormat.of().formatHex(sha);
            int rank = buf.get() & 0xFF;
            if (rank < 1 || rank > TrajectoryBlock.MAX_RANK) {
                throw new CorruptBlockException(MALFORMED, "rank", "rank " + rank + " outside 1.."
                        + TrajectoryBlock.MAX_RANK);
            }
            need("sample_shape", 4L * rank);
            long[] shape = new long[rank];
            long d = 1;
            for (int i = 0; i < rank; i++) {
                shape[i] = positive("sample_shape", buf.getInt());
                d *= shape[i];
            }
            need("timestamps", 8L * (n + 1));
            double[] t = new double[n + 1];
            buf.asDoubleBuffer().get(t);
            buf.position(buf.position() + 8 * (n + 1));
            String teacherId = string("teacher_id");
            String solver = string("solver");
            String schedule = string("schedule");
            String promptId = string("prompt_id");
            String prompt = string("prompt");
            String conditionRef = string("condition_ref");
            int[] index = new int[b];
            long[] seeds = new long[b];
            int[] labels = new int[b];
            need("sample_index", 4L * b);
            buf.asIntBuffer().get(index);
            buf.position(buf.position() + 4 * b);
            need("seed", 8L * b);
            buf.asLongBuffer().get(seeds);
            buf.position(buf.position() + 8 * b);
            need("label", 4L * b);
            buf.asIntBuffer().get(labels);
            buf.position(buf.position() + 4 * b);
            need("points_bytes", 4);
            int payload = buf.getInt();
            long floats = (long) (n + 1) * b * d;
            long expected = floats * dtype.bytes();
            if (payload != expected) {
                throw new CorruptBlockException(SHAPE_MISMATCH, "points", "points_bytes = " + payload + " but the "
                        + "header's [N+1][B][D] = [" + (n + 1) + "][" + b + "][" + d + "] of " + dtype.wireName()
                        + " needs " + expected);
            }
            if (buf.remaining() != payload) {
                throw new CorruptBlockException(buf.remaining() < payload ? TRUNCATED : MALFORMED, "points",
                        buf.remaining() + " bytes of points follow, the header says " + payload);
            }
            float[] points = new float[(int) floats];
            if (dtype == TensorDtype.FLOAT32) {
                buf.asFloatBuffer().get(points);
            } else {
                for (int i = 0; i < points.length; i++) {
                    points[i] = Float16.toFloat(buf.getShort());
                }
            }
            for (int i = 0; i <= n; i++) {
                if (!Double.isFinite(t[i]) || t[i] < 0 || (i > 0 && !(t[i] < t[i - 1]))) {
                    throw new CorruptBlockException(NON_FINITE_VALUE, "timestamps", "timestamps "
                            + Arrays.toString(t) + " must be finite, >= 0 and strictly decreasing (t_N first)");
                }
            }
            for (int i = 0; i < points.length; i++) {
                if (!Float.isFinite(points[i])) {
                    int step = (int) (i / (b * d));
                    int row = (int) ((i / d) % b);
                    throw new CorruptBlockException(NON_FINITE_VALUE, "points", "value " + points[i] + " at [" + step
                            + "][" + row + "][" + (i % d) + "] (trajectory " + promptId + "/" + index[row] + "/"
                            + seeds[row] + "); the teacher diverged: check its solver settings");
                }
            }
            for (int r = 0; r < b; r++) {
                if (index[r] < 0) {
                    throw new CorruptBlockException(MALFORMED, "sample_index", "row " + r + " has sample index "
                            + index[r] + "; must be >= 0");
                }
            }
            if (teacherId.isBlank() || promptId.isBlank()) {
                throw new CorruptBlockException(MALFORMED, teacherId.isBlank() ? "teacher_id" : "prompt_id",
                        "must not be empty");
            }
            if (expectedSha != null && !expectedSha.equalsIgnoreCase(shaHex)) {
                throw new CorruptBlockException(TEACHER_MISMATCH, "teacher_sha256", "block of teacher " + teacherId
                        + "@" + shaHex + " but this trainer distils the teacher with sha256 " + expectedSha
                        + "; rule: trajectories must come from the teacher being distilled: point the teacher-service"
                        + " and the trainer at the same sfd.teacher.model (or use a fresh trajectory topic)");
            }
            return new TrajectoryBlock(teacherId, shaHex, solver, k, schedule, t, promptId, prompt, conditionRef,
                    shape, index, seeds, labels, points);
        }

        private void need(String field, long bytes) throws CorruptBlockException {
            if (buf.remaining() < bytes) {
                throw new CorruptBlockException(TRUNCATED, field, "needs " + bytes + " bytes, " + buf.remaining()
                        + " left before the checksum");
            }
        }

        private String string(String field) throws CorruptBlockException {
            need(field, 2);
            int len = buf.getShort() & 0xFFFF;
            need(field, len);
            byte[] s = new byte[len];
            buf.get(s);
            return new String(s, StandardCharsets.UTF_8);
        }

        private int positive(String field, int value) throws CorruptBlockException {
            if (value < 1) {
                throw new CorruptBlockException(MALFORMED, field, "is " + value + "; must be >= 1");
            }
            return value;
        }
    }

    private static byte[] utf8(String s, String field) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > MAX_STRING) {
            throw new IllegalArgumentException(field + " is " + b.length + " bytes in UTF-8; the block allows "
                    + MAX_STRING);
        }
        return b;
    }

    private static IllegalArgumentException nonFinite(TrajectoryBlock block, int i, float v) {
        return new IllegalArgumentException("block " + block.blockId() + ": point value " + v + " at flat index " + i
                + " is not finite; the teacher diverged: check its solver settings");
    }

    private static String hex(byte[] b, int from, int to) {
        StringBuilder s = new StringBuilder();
        for (int i = from; i < to; i++) {
            s.append(i > from ? " " : "").append(String.format("%02x", b[i] & 0xFF));
        }
        return s.toString();
    }
}
