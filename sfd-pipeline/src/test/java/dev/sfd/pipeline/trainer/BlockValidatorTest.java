package dev.sfd.pipeline.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.trajectory.TensorDtype;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.core.trajectory.TrajectoryBlockCodec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Every class of bad block is refused with a code and a reason naming the field. */
class BlockValidatorTest {

    private static final SfdConfig CONFIG = TrajectoryFixture.config(8, 1000);
    private static final BlockValidator VALIDATOR = new BlockValidator(
            TrajectoryExpectation.of(TrajectoryFixture.INFO, CONFIG));
    private static final TrajectoryBlock BLOCK = TrajectoryFixture.blocks(CONFIG, "p", 4, 10, 4).get(0);

    private static BlockRejectedException refused(String key, byte[] value) {
        return assertThrows(BlockRejectedException.class,
                () -> VALIDATOR.validate(new TrajectoryRecord(new RecordPosition(0, 0), key, value)));
    }

    private static byte[] resealed(byte[] b) {
        CRC32C crc = new CRC32C();
        crc.update(b, 0, b.length - 4);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length - 4, (int) crc.getValue());
        return b;
    }

    @Test
    void goodBlocksPassInBothDtypes() throws Exception {
        for (TensorDtype d : TensorDtype.values()) {
            TrajectoryBlock back = VALIDATOR.validate(new TrajectoryRecord(new RecordPosition(0, 0), BLOCK.blockId(),
                    TrajectoryBlockCodec.encode(BLOCK, d)));
            assertEquals(BLOCK.blockId(), back.blockId());
        }
    }

    @Test
    void eachBadClassHasItsCodeAndField() {
        String id = BLOCK.blockId();
        byte[] good = TrajectoryBlockCodec.encode(BLOCK);

        byte[] crc = good.clone();
        crc[good.length - 10] ^= 1;
        assertReason(refused(id, crc), "CHECKSUM_MISMATCH", "crc32c");
        assertReason(refused(id, java.util.Arrays.copyOf(good, good.length - 7)), "TRUNCATED", "length");
        byte[] version = good.clone();
        version[4] = 1;
        assertReason(refused(id, resealed(version)), "UNSUPPORTED_VERSION", "schema_version");
        byte[] nan = good.clone();
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(nan.length - 8, Float.NaN);
        assertReason(refused(id, resealed(nan)), "NON_FINITE_VALUE", "points");
        byte[] shape = good.clone();
        ByteBuffer.wrap(shape).order(ByteOrder.LITTLE_ENDIAN).putInt(57, 3); // sample shape [3]: points disagree
        assertReason(refused(id, resealed(shape)), "SHAPE_MISMATCH", "points");

        TrajectoryBlock foreign = TrajectoryFixture.blocks(CONFIG, "p", 4, 10, 4, "0".repeat(64)).get(0);
        BlockRejectedException teacher = refused(id, TrajectoryBlockCodec.encode(foreign));
        assertReason(teacher, "TEACHER_MISMATCH", "teacher_sha256");
        assertTrue(teacher.getMessage().contains(TrajectoryFixture.INFO.sha256()), teacher.getMessage());

        SfdConfig five = SfdConfig.builder(CONFIG.schedule()).solver("dpm++2m").k(8).stepCounts(List.of(5)).batch(8)
                .budget(10).progress(false).build();
        TrajectoryBlock n5 = TrajectoryFixture.blocks(five, "p", 2, 10, 2).get(0);
        assertReason(refused(n5.blockId(), TrajectoryBlockCodec.encode(n5)), "UNKNOWN_STEP_COUNT", "steps");

        assertEquals("KEY_MISMATCH", refused("someone-else", good).code());
    }

    private static void assertReason(BlockRejectedException e, String code, String field) {
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains("field " + field), e.getMessage());
    }
}
