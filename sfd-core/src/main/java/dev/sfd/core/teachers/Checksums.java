package dev.sfd.core.teachers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of model files and their {@code <file>.sha256} companions (lower-case hex, one line). */
public final class Checksums {

    private Checksums() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /** The companion checksum file of {@code file}: {@code <file>.sha256}. */
    public static Path companion(Path file) {
        return file.resolveSibling(file.getFileName() + ".sha256");
    }

    /** Writes {@code bytes} to {@code file} and its hex SHA-256 to {@code <file>.sha256}; returns the hex. */
    public static String writeWithChecksum(Path file, byte[] bytes) {
        String hex = sha256(bytes);
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.write(file, bytes);
            Files.writeString(companion(file), hex + "\n", StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + " and its checksum", e);
        }
        return hex;
    }

    /** The file's bytes, after checking them against {@code <file>.sha256}; throws naming both digests. */
    public static byte[] readVerified(Path file) {
        Path sum = companion(file);
        try {
            if (!Files.isRegularFile(sum)) {
                throw new IllegalStateException("checksum file " + sum + " is missing for " + file);
            }
            byte[] bytes = Files.readAllBytes(file);
            String expected = Files.readString(sum, StandardCharsets.US_ASCII).trim().split("\\s+")[0].toLowerCase();
            String actual = sha256(bytes);
            if (!actual.equals(expected)) {
                throw new IllegalStateException("checksum mismatch for " + file + ": " + sum + " says " + expected
                        + " but the file's SHA-256 is " + actual + " (corrupted or modified file; restore it from git"
                        + " or retrain it with 'sfd teacher train')");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " or " + sum, e);
        }
    }
}
