package dev.sfd.pipeline.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.tensor.FloatTensor;
import dev.sfd.core.trajectory.TensorDtype;
import dev.sfd.core.trajectory.TrajectoryHeader;
import dev.sfd.core.trajectory.TrajectorySegment;
import dev.sfd.core.trajectory.TrajectorySegmentCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Every corrupt-segment class of the issue is refused with its own code and a reason naming the value. */
class SegmentValidatorTest {

    private static final SfdConfig CONFIG = TrajectoryFixture.config(8, 1000);
    private static final List<TrajectorySegment> SEGS = TrajectoryFixture.segments(CONFIG, 1, 42);
    private static final SegmentValidator VALIDATOR =
            new SegmentValidator(TrajectoryExpectation.of(TrajectoryFixture.INFO, CONFIG));

    private static SegmentRejectedException refused(String key, byte[] value) {
        return assertThrows(SegmentRejectedException.class,
                () -> VALIDATOR.validate(new SegmentRecord(new RecordPosition(0, 0), key, value)));
    }

    /** Re-computes the CRC32C so only the intended field is wrong. */
    static byte[] resealed(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        int v = (int) crc.getValue();
        b[b.length - 4] = (byte) v;
        b[b.length - 3] = (byte) (v >>> 8);
        b[b.length - 2] = (byte) (v >>> 16);
        b[b.length - 1] = (byte) (v >>> 24);
        return b;
    }

    @Test
    void goodSegmentsPass() throws Exception {
        for (TrajectorySegment s : SEGS) {
            assertEquals(s.trajectoryId(), VALIDATOR.validate(new SegmentRecord(new RecordPosition(0, 0),
                    s.trajectoryId(), TrajectorySegmentCodec.encode(s, TensorDtype.FLOAT16))).trajectoryId());
        }
    }

    @Test
    void eachCorruptClassHasItsReason() {
        TrajectorySegment first = SEGS.get(0);
        TrajectorySegment second = SEGS.get(1);
        String id = first.trajectoryId();
        byte[] good = TrajectorySegmentCodec.encode(second);

        byte[] checksum = good.clone();
        checksum[good.length - 10] ^= 1;
        assertEquals("CHECKSUM_MISMATCH", refused(id, checksum).code());

        byte[] magic = good.clone();
        magic[0] = 'X';
        assertEquals("BAD_MAGIC", refused(id, magic).code());

        byte[] version = good.clone();
        version[4] = 9;
        SegmentRejectedException v = refused(id, resealed(version));
        assertEquals("UNSUPPORTED_VERSION", v.code());
        assertTrue(v.getMessage().contains("schema version 9"), v.getMessage());

        byte[] dtype = good.clone();
        dtype[6] = 7;
        assertEquals("UNKNOWN_DTYPE", refused(id, resealed(dtype)).code());

        TrajectorySegment wrongShape = new TrajectorySegment(id, 1, 4, second.timestamp(),
                new FloatTensor(new long[] {1, 3}, new float[] {1, 2, 3}), null);
        SegmentRejectedException shape = refused(id, TrajectorySegmentCodec.encode(wrongShape));
        assertEquals("SHAPE_MISMATCH", shape.code());
        assertTrue(shape.getMessage().contains("[1, 3]"), shape.getMessage());

        byte[] nan = good.clone();
        int payloadEnd = nan.length - 4;
        java.nio.ByteBuffer.wrap(nan).order(java.nio.ByteOrder.LITTLE_ENDIAN).putFloat(payloadEnd - 4, Float.NaN);
        assertEquals("NON_FINITE_VALUE", refused(id, resealed(nan)).code());

        TrajectorySegment wrongTime = new TrajectorySegment(id, 1, 4, second.timestamp() * 1.5, second.tensor(), null);
        SegmentRejectedException time = refused(id, TrajectorySegmentCodec.encode(wrongTime));
        assertEquals("TIMESTAMP_MISMATCH", time.code());
        assertTrue(time.getMessage().contains(Double.toString(second.timestamp() * 1.5)), time.getMessage());

        TrajectoryHeader h = first.header();
        TrajectoryHeader otherTeacher = new TrajectoryHeader(h.trajectoryId(), h.scheduleName(), h.scheduleParams(),
                h.steps(), h.timestamps(), h.seed(), h.prompt(), h.conditionIds(), h.conditionEmbedding(),
                "other@" + "0".repeat(64), h.solver(), h.solverSubsteps());
        SegmentRejectedException teacher = refused(id, TrajectorySegmentCodec.encode(
                TrajectorySegment.first(otherTeacher, first.tensor())));
        assertEquals("TEACHER_MISMATCH", teacher.code());
        assertTrue(teacher.getMessage().contains("other@"), teacher.getMessage());

        List<Double> t5 = new ArrayList<>();
        for (double x : CONFIG.schedule().schedule().timestampsDescending(5)) {
            t5.add(x);
        }
        TrajectoryHeader n5 = new TrajectoryHeader(id, h.scheduleName(), Map.of(), 5, t5, 1, "", List.of(0), List.of(),
                h.teacher(), h.solver(), 1);
        assertEquals("UNKNOWN_STEP_COUNT", refused(id, TrajectorySegmentCodec.encode(
                TrajectorySegment.first(n5, first.tensor()))).code());

        assertEquals("KEY_MISMATCH", refused("someone-else", good).code());
        assertEquals("TRUNCATED", refused(id, new byte[] {'S', 'F'}).code());
    }
}
