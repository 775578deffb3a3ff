package dev.sfd.faults;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Looks for a secret in texts and byte arrays: as is, Base64- and hex-encoded (how a careless
 * log line or a metadata blob would carry it). Returns where it was found, empty = no leak.
 */
final class SecretScan {

    private final byte[][] forms;
    private final List<String> found = new ArrayList<>();
    private int scanned;

    SecretScan(String secret) {
        byte[] raw = secret.getBytes(StandardCharsets.UTF_8);
        this.forms = new byte[][] {raw, Base64.getEncoder().encodeToString(raw).getBytes(StandardCharsets.UTF_8),
                HexFormat.of().formatHex(raw).getBytes(StandardCharsets.UTF_8)};
    }

    void file(Path f) throws IOException {
        bytes(f.toString(), Files.readAllBytes(f));
    }

    void text(String where, String s) {
        bytes(where, s.getBytes(StandardCharsets.UTF_8));
    }

    void all(Map<String, byte[]> items) {
        items.forEach(this::bytes);
    }

    void bytes(String where, byte[] data) {
        scanned++;
        for (byte[] form : forms) {
            if (indexOf(data, form) >= 0) {
                found.add(where);
                return;
            }
        }
    }

    List<String> leaks() {
        return List.copyOf(found);
    }

    int scanned() {
        return scanned;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
