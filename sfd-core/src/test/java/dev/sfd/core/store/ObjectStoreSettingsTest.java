package dev.sfd.core.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object store settings: the CA file for a private-CA https endpoint, and no secret in toString. */
class ObjectStoreSettingsTest {

    @Test
    void aMissingCaFileIsRefusedNamingTheSetting(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ObjectStoreSettings(
                "https://s3.example.com", "a", "s", "b", null, dir.resolve("no-such-ca.pem")));
        assertTrue(e.getMessage().contains("sfd.s3.ca-file") && e.getMessage().contains("no-such-ca.pem"),
                e.getMessage());
    }

    @Test
    void aCaFileWithoutACertificateIsRefusedWhenTheClientIsBuilt(@TempDir Path dir) throws Exception {
        Path junk = Files.writeString(dir.resolve("junk.pem"), "not a certificate\n");
        ObjectStoreSettings s = new ObjectStoreSettings("https://s3.example.com", "a", "s", "b", null, junk);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, s::newClient);
        assertTrue(e.getMessage().contains("sfd.s3.ca-file") && e.getMessage().contains("https://s3.example.com"),
                e.getMessage());
    }

    @Test
    void withoutACaFileTheJvmTrustStoreDecidesAndTheSecretIsNeverPrinted() {
        ObjectStoreSettings s = new ObjectStoreSettings("http://127.0.0.1:9000", "key", "very-secret-value", "b",
                null);
        assertNull(s.caFile());
        assertFalse(s.toString().contains("very-secret-value"), s.toString());
    }
}
