package dev.sfd.core.teachers.imports.text2image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code condition_ref} a trajectory block of a text-to-image teacher carries: it pins the
 * tokenization of the block's prompt, {@code "tokens-sha256:"} + the first 16 hex digits of the SHA-256
 * over the token ids (padded/truncated to the tokenizer's max length) as int64 little-endian. The teacher
 * writes it; the trainer, which re-encodes the prompt text with the same pipeline, recomputes it and
 * refuses a block whose value differs. One definition for both sides.
 */
public final class ConditionRef {

    /** What every value starts with. */
    public static final String PREFIX = "tokens-sha256:";
    /** Hex digits of the digest kept. */
    public static final int HEX_DIGITS = 16;

    private ConditionRef() {
    }

    /** The reference of token ids {@code ids}. */
    public static String of(long[] ids) {
        ByteBuffer b = ByteBuffer.allocate(8 * ids.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long id : ids) {
            b.putLong(id);
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(b.array());
            return PREFIX + HexFormat.of().formatHex(d).substring(0, HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
