package dev.sfd.pipeline.teacher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The seed of sample 0 of a prompt record that gives none: the first 62 bits of SHA-256 of the
 * prompt id (UTF-8), so the same id always gets the same seeds, and seed + 4095 never overflows.
 */
public final class PromptSeeds {

    private PromptSeeds() {
    }

    public static long fromId(String promptId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(promptId.getBytes(StandardCharsets.UTF_8));
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (h[i] & 0xFF);
            }
            return v >>> 2;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
