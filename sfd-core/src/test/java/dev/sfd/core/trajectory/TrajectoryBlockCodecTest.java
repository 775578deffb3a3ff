package dev.sfd.core.trajectory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.trajectory.CorruptBlockException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class TrajectoryBlockCodecTest {

    /**
     * The golden block's bytes, field by field as in the README's byte-layout table. Changing the
     * layout changes these bytes: bump the schema version with it.
     */
    private static final String GOLDEN = String.join("",
            "53464442", "0200", "01", "00", "ab000000",          // magic, version 2, float32, flags, length 171
            "02000000", "01000000", "02000000",                  // B = 2, N = 1, K = 2
            BlockFixtures.SHA,                                   // teacher_sha256
            "01", "02000000",                                    // rank 1, sample shape [2]
            "0000000000000040", "000000000000e03f",              // t_N = 2.0, t_0 = 0.5
            "010074", "050065756c6572", "030065646d",            // teacher_id "t", solver "euler", schedule "edm"
            "010070", "0000", "0000",                            // prompt_id "p", prompt "", condition_ref ""
            "00000000", "01000000",                              // sample_index 0, 1
            "0700000000000000", "0800000000000000",              // seed 7, 8
            "ffffffff", "03000000",                              // label -1, 3
            "20000000",                                          // points_bytes 32
            "0000803f", "000080bf", "0000003f", "00000040",      // x_N rows 0, 1
            "0000803e", "000000bf", "00000000", "0000c03f");     // x̃_0 rows 0, 1

    @Test
    void goldenBytes() throws Exception {
        byte[] bytes = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        byte[] body = HexFormat.of().parseHex(GOLDEN);
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] expected = ByteBuffer.allocate(body.length + 4).order(ByteOrder.LITTLE_ENDIAN).put(body)
                .putInt((int) crc.getValue()).array();
        assertEquals(HexFormat.of().formatHex(expected), HexFormat.of().formatHex(bytes));
        assertEquals(BlockFixtures.golden(), TrajectoryBlockCodec.decode(expected));
        assertEquals("p/1/8", BlockFixtures.golden().trajectoryId(1));
    }

    @Test
    void roundTripOfRandomBlocksIsExactInFloat32AndWithinHalfPrecisionInFloat16() throws Exception {
        long seed = 20261207L;
        Random random = new Random(seed);
        for (int i = 0; i < 300; i++) {
            TrajectoryBlock block = BlockFixtures.random(random);
            String where = "block " + i + " of seed " + seed + ": " + block;
            assertEquals(block, TrajectoryBlockCodec.decode(TrajectoryBlockCodec.encode(block), block.teacherSha256()),
                    where);
            byte[] half = TrajectoryBlockCodec.encode(block, TensorDtype.FLOAT16);
            assertEquals(TensorDtype.FLOAT16, TrajectoryBlockCodec.peekDtype(half));
            TrajectoryBlock back = TrajectoryBlockCodec.decode(half);
            assertArrayEquals(block.timestamps(), back.timestamps(), where);
            assertArrayEquals(block.seed(), back.seed(), where);
            float[] a = block.points();
            float[] b = back.points();
            for (int k = 0; k < a.length; k++) {
                double bound = Math.max(Math.abs(a[k]) * 0x1p-11, 0x1p-25);
                assertTrue(Math.abs(a[k] - b[k]) <= bound, where + " element " + k + ": " + a[k] + " -> " + b[k]);
            }
            assertEquals(TrajectoryBlockCodec.encode(block).length - 2 * a.length, half.length, where);
        }
    }

    @Test
    void truncatedBlockNamesTheLength() {
        byte[] bytes = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        CorruptBlockException e = refused(Arrays.copyOf(bytes, bytes.length - 10), Reason.TRUNCATED);
        assertEquals("length", e.field());
        assertEquals("magic", refused(Arrays.copyOf(bytes, 3), Reason.TRUNCATED).field());
    }

    @Test
    void checksumMismatchNamesTheCrc() {
        byte[] bytes = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        bytes[bytes.length - 12] ^= 0x10; // a bit of the points
        assertEquals("crc32c", refused(bytes, Reason.CHECKSUM_MISMATCH).field());
    }

    @Test
    void unknownVersionNamesTheSchemaVersion() {
        byte[] bytes = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        bytes[4] = 1; // a v1 reader's record
        CorruptBlockException e = refused(bytes, Reason.UNSUPPORTED_VERSION);
        assertEquals("schema_version", e.field());
        assertTrue(e.getMessage().contains("version 1"), e.getMessage());
    }

    @Test
    void shapeThatDisagreesWithTheHeaderNamesThePoints() {
        byte[] bytes = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 3); // B = 3, but points for 2
        CorruptBlockException e = refused(reseal(bytes), Reason.SHAPE_MISMATCH);
        assertTrue(e.field().equals("points") || e.field().equals("seed") || e.field().equals("label")
                || e.field().equals("points_bytes"), e.getMessage());
        byte[] other = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        ByteBuffer.wrap(other).order(ByteOrder.LITTLE_ENDIAN).putInt(57, 3); // sample shape [3], points for [2]
        CorruptBlockException s = refused(reseal(other), Reason.SHAPE_MISMATCH);
        assertEquals("points", s.field());
        assertTrue(s.getMessage().contains("[2][2][3]"), s.getMessage());
    }

    @Test
    void nonFiniteValuesNameThePointsOrTheTimestamps() {
        byte[] bytes = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putFloat(bytes.length - 8, Float.NaN);
        CorruptBlockException e = refused(reseal(bytes), Reason.NON_FINITE_VALUE);
        assertEquals("points", e.field());
        assertTrue(e.getMessage().contains("[1][1][1]") && e.getMessage().contains("p/1/8"), e.getMessage());
        byte[] t = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN).putDouble(61, Double.POSITIVE_INFINITY);
        assertEquals("timestamps", refused(reseal(t), Reason.NON_FINITE_VALUE).field());
    }

    @Test
    void foreignTeacherNamesTheSha256() throws Exception {
        byte[] bytes = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        String mine = "f".repeat(64);
        CorruptBlockException e = assertThrows(CorruptBlockException.class,
                () -> TrajectoryBlockCodec.decode(bytes, mine));
        assertEquals(Reason.TEACHER_MISMATCH, e.reason());
        assertEquals("teacher_sha256", e.field());
        assertTrue(e.getMessage().contains(BlockFixtures.SHA) && e.getMessage().contains(mine), e.getMessage());
        assertEquals(BlockFixtures.golden(), TrajectoryBlockCodec.decode(bytes, BlockFixtures.SHA));
    }

    @Test
    void otherBadBytesAreRefusedWithTheirField() {
        byte[] bytes = TrajectoryBlockCodec.encode(BlockFixtures.golden());
        byte[] magic = bytes.clone();
        magic[3] = 'T';
        assertEquals("magic", refused(magic, Reason.BAD_MAGIC).field());
        byte[] dtype = bytes.clone();
        dtype[6] = 9;
        assertEquals("dtype", refused(reseal(dtype), Reason.UNKNOWN_DTYPE).field());
        byte[] rows = bytes.clone();
        ByteBuffer.wrap(rows).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 0);
        assertEquals("rows", refused(reseal(rows), Reason.MALFORMED).field());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertEquals("length", refused(longer, Reason.MALFORMED).field());
    }

    @Test
    void encodeRefusesPointsFloat16CannotHold() {
        TrajectoryBlock g = BlockFixtures.golden();
        float[] big = g.points().clone();
        big[3] = 70000f;
        TrajectoryBlock b = new TrajectoryBlock(g.teacherId(), g.teacherSha256(), g.solver(), g.k(), g.schedule(),
                g.timestamps(), g.promptId(), g.prompt(), g.conditionRef(), g.sampleShape(), g.sampleIndex(), g.seed(),
                g.label(), big);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrajectoryBlockCodec.encode(b, TensorDtype.FLOAT16));
        assertTrue(e.getMessage().contains("float16") && e.getMessage().contains("flat index 3"), e.getMessage());
    }

    private static CorruptBlockException refused(byte[] bytes, Reason reason) {
        CorruptBlockException e = assertThrows(CorruptBlockException.class, () -> TrajectoryBlockCodec.decode(bytes));
        assertEquals(reason, e.reason(), e.getMessage());
        assertTrue(e.getMessage().contains("field " + e.field()), e.getMessage());
        return e;
    }

    /** Recomputes the CRC after a deliberate edit, so the check under test is reached. */
    private static byte[] reseal(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(bytes.length - 4, (int) crc.getValue());
        return bytes;
    }
}
