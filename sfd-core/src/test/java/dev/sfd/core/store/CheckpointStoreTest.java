package dev.sfd.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Checkpoints through a real S3 server: layout, newest version, and refusal of a corrupt file. */
@ExtendWith(LocalStackExtension.class)
class CheckpointStoreTest {

    private static ObjectStoreSettings settings(LocalStack stack) {
        var e = stack.endpoints();
        return new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(), null);
    }

    private static CheckpointManifest draft(String student, long version, byte[] onnx) {
        return new CheckpointManifest(CheckpointManifest.SCHEMA_VERSION, student, version, null,
                CheckpointStore.sha256(onnx), onnx.length, 100 * version, List.of(2, 3, 4, 5), "polynomial(rho=7)",
                "mixture2d", Map.of("fd", 0.01), "2026-11-26T00:00:00Z");
    }

    @Test
    void storesFileThenManifestAndFindsTheNewestVersion(LocalStack stack) throws Exception {
        try (CheckpointStore store = new CheckpointStore(settings(stack))) {
            byte[] v1 = "onnx-v1".getBytes(StandardCharsets.UTF_8);
            byte[] v2 = "onnx-version-2".getBytes(StandardCharsets.UTF_8);
            store.put(draft("layout-test", 1, v1), v1);
            CheckpointManifest stored = store.put(draft("layout-test", 2, v2), v2);
            assertEquals("students/layout-test/2/student.onnx", stored.objectKey());
            assertEquals(2L, store.latestVersion("layout-test").orElseThrow());
            CheckpointManifest read = store.manifest("layout-test", 2);
            assertEquals(stored, read);
            assertArrayEquals(v2, store.fetch(read));
            assertTrue(store.latestVersion("nobody").isEmpty());
        }
    }

    @Test
    void aFileThatDoesNotMatchItsManifestIsRefused(LocalStack stack) throws Exception {
        try (CheckpointStore store = new CheckpointStore(settings(stack))) {
            byte[] good = "good weights".getBytes(StandardCharsets.UTF_8);
            CheckpointManifest stored = store.put(draft("corrupt-test", 1, good), good);
            byte[] bad = "evil weights".getBytes(StandardCharsets.UTF_8);
            MinioClient raw = stack.newMinioClient();
            try {
                raw.putObject(PutObjectArgs.builder().bucket(stack.settings().bucket()).object(stored.objectKey())
                        .stream(new ByteArrayInputStream(bad), bad.length, -1).build());
            } finally {
                raw.close();
            }
            CorruptCheckpointException e = assertThrows(CorruptCheckpointException.class, () -> store.fetch(stored));
            assertTrue(e.getMessage().contains("corrupt-test v1") && e.getMessage().contains(stored.sha256()),
                    e.getMessage());
            IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                    () -> store.put(draft("corrupt-test", 2, good), bad));
            assertTrue(mismatch.getMessage().contains("but the file has"), mismatch.getMessage());
        }
    }

    @Test
    void manifestsRoundTripAndRejectBadFields() {
        byte[] b = {1, 2, 3};
        CheckpointManifest m = draft("json-test", 3, b);
        assertEquals(m, CheckpointManifest.fromJson(m.toJson()));
        assertThrows(IllegalArgumentException.class, () -> draft("Bad Name", 1, b));
        assertThrows(IllegalArgumentException.class, () -> draft("ok", 0, b));
        IllegalArgumentException schema = assertThrows(IllegalArgumentException.class,
                () -> CheckpointManifest.fromJson(m.toJson().replace("\"schemaVersion\":1", "\"schemaVersion\":9")));
        assertTrue(schema.getMessage().contains("schema version 9"), schema.getMessage());
    }
}
