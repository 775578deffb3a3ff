package dev.sfd.core.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.CorruptSegmentException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrajectorySegmentCodecTest {

    private static final String ID = "traj-1";
    private static final List<TrajectorySegment> SEGMENTS = TrajectoryFixtures.segments(ID, 4);

    @Test
    void float32RoundTripIsExactForEverySegment() throws Exception {
        for (TrajectorySegment s : SEGMENTS) {
            TrajectorySegment back = TrajectorySegmentCodec.decode(TrajectorySegmentCodec.encode(s));
            assertEquals(s, back);
            assertEquals(s.step(), back.step());
        }
        TrajectorySegment first = TrajectorySegmentCodec.decode(TrajectorySegmentCodec.encode(SEGMENTS.get(0)));
        assertEquals(SEGMENTS.get(0).header(), first.header());
        assertEquals(4, first.header().steps());
        assertEquals(List.of(1, 1), first.header().conditionIds(), "red = 1, circle = 1");
        assertNull(TrajectorySegmentCodec.decode(TrajectorySegmentCodec.encode(SEGMENTS.get(2))).header());
    }

    @Test
    void float16RoundTripIsWithinHalfPrecisionAndHalfTheSize() throws Exception {
        for (TrajectorySegment s : SEGMENTS) {
            byte[] half = TrajectorySegmentCodec.encode(s, TensorDtype.FLOAT16);
            assertEquals(TensorDtype.FLOAT16, TrajectorySegmentCodec.peekDtype(half));
            TrajectorySegment back = TrajectorySegmentCodec.decode(half);
            assertEquals(s.header(), back.header());
            assertEquals(s.timestamp(), back.timestamp(), 0.0, "timestamps stay float64");
            assertArrayEquals(s.tensor().shape(), back.tensor().shape());
            float[] a = s.tensor().data();
            float[] b = back.tensor().data();
            for (int k = 0; k < a.length; k++) {
                double bound = Math.max(Math.abs(a[k]) * 0x1p-11, 0x1p-25);
                assertTrue(Math.abs(a[k] - b[k]) <= bound, "element " + k + ": " + a[k] + " -> " + b[k]);
            }
            int f32 = TrajectorySegmentCodec.encode(s).length;
            assertEquals(f32 - 2 * a.length, half.length);
        }
    }

    @Test
    void float16RejectsValuesItCannotRepresent() {
        TrajectoryHeader h = TrajectoryFixtures.header(ID, 2);
        float[] d = new float[4];
        d[2] = 70_000f;
        TrajectorySegment s = TrajectorySegment.teacherPoint(h, 0, new FloatTensor(new long[] {4}, d));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrajectorySegmentCodec.encode(s, TensorDtype.FLOAT16));
        assertTrue(e.getMessage().contains("overflows float16"), e.getMessage());
        d[2] = Float.NaN;
        assertThrows(IllegalArgumentException.class, () -> TrajectorySegmentCodec.encode(s));
    }

    @Test
    void layoutMatchesTheDocumentedOffsets() {
        TrajectorySegment s = SEGMENTS.get(1); // step 3 of 4, no header
        byte[] bytes = TrajectorySegmentCodec.encode(s);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("SFDT", new String(bytes, 0, 4, StandardCharsets.US_ASCII));
        assertEquals(1, b.getShort(4));
        assertEquals(1, b.get(6), "float32");
        assertEquals(0, b.get(7), "no header flag");
        assertEquals(bytes.length, b.getInt(8));
        assertEquals(1, b.getInt(12));
        assertEquals(5, b.getInt(16));
        assertEquals(3, b.getInt(20));
        assertEquals(s.timestamp(), b.getDouble(24));
        assertEquals(ID.length(), b.getShort(32));
        assertEquals(ID, new String(bytes, 34, ID.length(), StandardCharsets.UTF_8));
        int p = 34 + ID.length();
        assertEquals(3, b.get(p));
        assertEquals(3, b.getInt(p + 1));
        assertEquals(0, b.getInt(p + 13), "header JSON length");
        assertEquals(48 * 4, b.getInt(p + 17), "payload length");
        assertEquals(s.tensor().data()[0], b.getFloat(p + 21));
        assertEquals((int) TrajectorySegmentCodec.crc32c(bytes, 0, bytes.length - 4), b.getInt(bytes.length - 4));
    }

    @Test
    void kafkaHeadersCarryTheMetadata() {
        Map<String, String> first = TrajectoryKafkaHeaders.of(SEGMENTS.get(0), TensorDtype.FLOAT16);
        assertEquals("1", first.get(TrajectoryKafkaHeaders.SCHEMA_VERSION));
        assertEquals(ID, first.get(TrajectoryKafkaHeaders.TRAJECTORY_ID));
        assertEquals("0", first.get(TrajectoryKafkaHeaders.SEGMENT_INDEX));
        assertEquals("5", first.get(TrajectoryKafkaHeaders.SEGMENT_TOTAL));
        assertEquals("4", first.get(TrajectoryKafkaHeaders.STEP));
        assertEquals("80.0", first.get(TrajectoryKafkaHeaders.TIMESTAMP));
        assertEquals("float16", first.get(TrajectoryKafkaHeaders.DTYPE));
        assertEquals("3,4,4", first.get(TrajectoryKafkaHeaders.SHAPE));
        assertEquals("4", first.get(TrajectoryKafkaHeaders.STEPS));
        assertEquals("edm", first.get(TrajectoryKafkaHeaders.SCHEDULE));
        assertEquals("1234", first.get(TrajectoryKafkaHeaders.SEED));
        assertEquals("a red circle", first.get(TrajectoryKafkaHeaders.PROMPT));
        assertEquals(SEGMENTS.get(0).header(), TrajectoryHeaderJson.fromJson(first.get(TrajectoryKafkaHeaders.HEADER_JSON)));
        assertTrue(first.get(TrajectoryKafkaHeaders.HEADER_JSON).contains("\"timestamps\":[80.0,"));

        Map<String, String> last = TrajectoryKafkaHeaders.of(SEGMENTS.get(4), TensorDtype.FLOAT32);
        assertEquals("0", last.get(TrajectoryKafkaHeaders.STEP));
        assertEquals("float32", last.get(TrajectoryKafkaHeaders.DTYPE));
        assertFalse(last.containsKey(TrajectoryKafkaHeaders.HEADER_JSON));
        assertFalse(last.containsKey(TrajectoryKafkaHeaders.PROMPT));
        assertArrayEquals(ID.getBytes(StandardCharsets.UTF_8),
                TrajectoryKafkaHeaders.asBytes(last).get(TrajectoryKafkaHeaders.TRAJECTORY_ID));
    }

    // ---- corruption: each kind is detected with its reason ----

    @Test
    void badMagic() {
        byte[] b = encoded(1);
        b[0] = 'X';
        assertReason(Reason.BAD_MAGIC, b, "not a trajectory segment");
        assertReason(Reason.BAD_MAGIC, "{\"json\": true}".getBytes(StandardCharsets.UTF_8), "expected 53 46 44 54");
    }

    @Test
    void unsupportedVersion() {
        byte[] b = encoded(1);
        b[4] = 2;
        assertReason(Reason.UNSUPPORTED_VERSION, b, "schema version 2");
    }

    @Test
    void truncated() {
        byte[] b = encoded(0);
        assertReason(Reason.TRUNCATED, Arrays.copyOf(b, b.length - 10), "declares " + b.length);
        assertReason(Reason.TRUNCATED, Arrays.copyOf(b, 3), "3 bytes");
        assertReason(Reason.TRUNCATED, Arrays.copyOf(b, 20), "fixed fields");
        assertReason(Reason.TRUNCATED, new byte[0], "0 bytes");
        assertReason(Reason.TRUNCATED, null, "no value");
    }

    @Test
    void trailingBytes() {
        byte[] b = encoded(2);
        assertReason(Reason.TRAILING_BYTES, Arrays.copyOf(b, b.length + 1), "declares " + b.length);
    }

    @Test
    void checksumMismatch() {
        byte[] b = encoded(2);
        b[b.length - 20] ^= 0x01; // one bit of the payload
        assertReason(Reason.CHECKSUM_MISMATCH, b, "CRC32C");
        byte[] c = encoded(2);
        c[c.length - 1] ^= (byte) 0x80; // the checksum itself
        assertReason(Reason.CHECKSUM_MISMATCH, c, "stored CRC32C");
    }

    @Test
    void unknownDtype() {
        byte[] b = encoded(1);
        b[6] = 9;
        assertReason(Reason.UNKNOWN_DTYPE, withCrc(b), "dtype code 9");
    }

    @Test
    void shapePayloadMismatch() {
        byte[] b = encoded(3);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(34 + ID.length() + 1, 2); // dims [2,4,4]
        assertReason(Reason.SHAPE_PAYLOAD_MISMATCH, withCrc(b), "shape [2, 4, 4] of float32 needs 128 bytes, payload has 192");
    }

    @Test
    void nonFiniteValues() {
        byte[] b = encoded(3);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putFloat(b.length - 8, Float.NaN); // last element
        assertReason(Reason.NON_FINITE_VALUE, withCrc(b), "NaN at flat index 47");

        byte[] h = TrajectorySegmentCodec.encode(SEGMENTS.get(3), TensorDtype.FLOAT16);
        ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN).putShort(h.length - 6, (short) 0x7C00); // +inf half
        assertReason(Reason.NON_FINITE_VALUE, withCrc(h), "Infinity at flat index 47");

        byte[] t = encoded(3);
        ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN).putDouble(24, Double.POSITIVE_INFINITY);
        assertReason(Reason.NON_FINITE_VALUE, withCrc(t), "timestamp is Infinity");
    }

    @Test
    void badHeaderJson() {
        byte[] b = encoded(0);
        int brace = indexOf(b, (byte) '{');
        b[brace] = 'x';
        assertReason(Reason.BAD_HEADER, withCrc(b), "invalid trajectory header JSON");

        // Valid JSON, invalid content: timestamps not decreasing.
        String json = TrajectoryHeaderJson.toJson(SEGMENTS.get(0).header());
        assertTrue(json.contains("\"steps\":4"));
        byte[] d = replaceAscii(encoded(0), "\"steps\":4", "\"steps\":7");
        assertReason(Reason.BAD_HEADER, withCrc(d), "N = 7 needs 8 timestamps");
    }

    @Test
    void inconsistentFields() {
        byte[] b = encoded(2);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 0); // step field: should be 2
        assertReason(Reason.INCONSISTENT_FIELDS, withCrc(b), "step 0 but index 2 of 5 segments means step 2");

        byte[] c = encoded(0);
        ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putDouble(24, 79.0); // first segment t differs from t_N
        assertReason(Reason.INCONSISTENT_FIELDS, withCrc(c), "differs from the header's t_N");
    }

    @Test
    void malformedLengths() {
        byte[] b = encoded(2);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putShort(32, (short) 30000); // id length
        assertReason(Reason.MALFORMED, withCrc(b), "trajectory id length 30000");
        byte[] c = encoded(2);
        c[34 + ID.length()] = 20; // rank
        assertReason(Reason.MALFORMED, withCrc(c), "rank 20");
    }

    // ---- helpers ----

    private static byte[] encoded(int segment) {
        return TrajectorySegmentCodec.encode(SEGMENTS.get(segment));
    }

    /** Recomputes the checksum so that the decoder gets past it to the deeper check under test. */
    private static byte[] withCrc(byte[] b) {
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(b.length - 4, (int) TrajectorySegmentCodec.crc32c(b, 0, b.length - 4));
        return b;
    }

    private static void assertReason(Reason expected, byte[] bytes, String messagePart) {
        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> TrajectorySegmentCodec.decode(bytes));
        assertEquals(expected, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), "message \"" + e.getMessage() + "\" lacks \"" + messagePart + "\"");
        assertTrue(e.getMessage().startsWith(expected.name()), e.getMessage());
    }

    private static int indexOf(byte[] b, byte x) {
        for (int k = 0; k < b.length; k++) {
            if (b[k] == x) {
                return k;
            }
        }
        return -1;
    }

    private static byte[] replaceAscii(byte[] b, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII);
        for (int k = 0; k + f.length <= b.length; k++) {
            if (Arrays.equals(b, k, k + f.length, f, 0, f.length)) {
                System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, b, k, f.length);
                return b;
            }
        }
        throw new AssertionError("\"" + from + "\" not found");
    }
}
