package dev.sfd.core.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.store.FailingS3Front.Fault;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 9: every S3 call of the product (not only listing) repeats what the server
 * failed: S3's 503 SlowDown and the plain-text 500 s3proxy answers while an upload is in progress.
 * A real s3proxy of the local stack behind a front that answers the next requests with the fault.
 */
@ExtendWith(LocalStackExtension.class)
class S3RetryTest {

    private static final S3Retry QUICK = new S3Retry(4, Duration.ofMillis(20), Duration.ofMillis(100));

    @Test
    void everyCallOfTheStoreRepeatsServerErrors(LocalStack stack) throws Exception {
        try (FailingS3Front front = new FailingS3Front(stack.endpoints().s3Endpoint())) {
            byte[] onnx = "weights of v1".getBytes(StandardCharsets.UTF_8);
            for (Fault fault : List.of(Fault.SLOW_DOWN_503, Fault.PLAIN_TEXT_500)) {
                String student = "retry-" + fault.name().toLowerCase().replace('_', '-');
                String key = CheckpointStore.prefix(student, 1) + CheckpointStore.STUDENT_OBJECT;

                front.fail(3, fault);
                try (CheckpointStore store = store(stack, front)) {
                    store.put(draft(student, 1, onnx), onnx);
                }
                assertEquals(3, front.faultsServed(), fault + ": the upload met the faults");

                front.fail(3, fault);
                try (CheckpointStore store = store(stack, front)) {
                    assertEquals(List.of(1L), store.versions(student), fault + ": list");
                }
                assertEquals(3, front.faultsServed());

                front.fail(3, fault);
                try (CheckpointStore store = store(stack, front)) {
                    assertTrue(store.exists(key), fault + ": stat");
                }
                assertEquals(3, front.faultsServed());

                front.fail(3, fault);
                try (CheckpointStore store = store(stack, front)) {
                    assertArrayEquals(onnx, store.getObject(key), fault + ": download");
                }
                assertEquals(3, front.faultsServed());

                front.fail(3, fault);
                try (CheckpointStore store = store(stack, front)) {
                    store.delete(student, 1);
                }
                assertEquals(3, front.faultsServed(), fault + ": delete");
                try (CheckpointStore direct = new CheckpointStore(settings(stack, stack.endpoints().s3Endpoint()))) {
                    assertFalse(direct.exists(key), fault + ": deleted");
                }
            }
        }
    }

    @Test
    void aFaultThatOutlastsTheAttemptsFailsNamingTheCallAndARefusalIsNotRepeated(LocalStack stack)
            throws Exception {
        var e = stack.endpoints();
        try (FailingS3Front front = new FailingS3Front(e.s3Endpoint());
             CheckpointStore store = store(stack, front)) {
            front.fail(10, Fault.SLOW_DOWN_503);
            IllegalStateException out = assertThrows(IllegalStateException.class, () -> store.versions("outlasted"));
            assertTrue(out.getMessage().contains("cannot list s3://" + e.bucket() + "/students/outlasted/"),
                    out.getMessage());
            assertEquals(QUICK.attempts(), front.faultsServed(), "called exactly sfd.s3.server-error-attempts times");

            front.fail(1, Fault.REFUSED_403);
            assertThrows(IllegalStateException.class, () -> store.exists("students/refused/1/manifest.json"));
            assertEquals(1, front.requestsSeen(), "a refusal (403) is not a server error: no second call");
        }
    }

    @Test
    void theWaitsDoubleUpToTheMaximum() {
        S3Retry r = new S3Retry(6, Duration.ofMillis(200), Duration.ofMillis(700));
        assertEquals(List.of(200L, 400L, 700L, 700L), List.of(r.delay(1).toMillis(), r.delay(2).toMillis(),
                r.delay(3).toMillis(), r.delay(4).toMillis()));
        assertThrows(IllegalArgumentException.class, () -> new S3Retry(0, Duration.ZERO, Duration.ZERO));
    }

    private static CheckpointStore store(LocalStack stack, FailingS3Front front) {
        return new CheckpointStore(settings(stack, front.endpoint()), QUICK);
    }

    private static ObjectStoreSettings settings(LocalStack stack, String endpoint) {
        var e = stack.endpoints();
        return new ObjectStoreSettings(endpoint, e.accessKey(), e.secretKey(), e.bucket(), null);
    }

    private static CheckpointManifest draft(String student, long version, byte[] onnx) {
        return new CheckpointManifest(CheckpointManifest.SCHEMA_VERSION, student, version, null,
                CheckpointStore.sha256(onnx), onnx.length, 100 * version, List.of(2, 3), "polynomial(rho=7)",
                "mixture2d", Map.of("fd", 0.01), "2026-11-26T00:00:00Z");
    }
}
