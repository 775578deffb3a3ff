package dev.sfd.pipeline.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 2 (trainer side): the trainer wrote its v18 over objects already under that key.
 * A version prefix that holds objects is never written over: the next free number is taken, or, when
 * the writer lease names another trainer, nothing is published and the publisher says why. Real S3
 * server of the local stack.
 */
@ExtendWith(LocalStackExtension.class)
class NoOverwritePublicationTest {

    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100));

    @Test
    void aVersionPrefixThatHoldsObjectsIsSkippedAndLeftAsItIs(LocalStack stack) throws Exception {
        String student = "no-overwrite-" + System.nanoTime() % 1_000_000;
        try (CheckpointStore store = store(stack)) {
            byte[] leftover = "half an upload of a killed trainer".getBytes(StandardCharsets.UTF_8);
            String leftoverKey = CheckpointStore.prefix(student, 1) + CheckpointStore.STUDENT_OBJECT;
            store.putObject(leftoverKey, leftover, "application/octet-stream"); // v1: objects, no manifest
            List<CheckpointManifest> announced = new CopyOnWriteArrayList<>();
            try (CheckpointPublisher pub = new CheckpointPublisher(store, announced::add, QUICK, 5, 0, c -> { },
                    java.util.Optional::empty)) {
                pub.submit(snapshot(student, "weights A"));
                assertTrue(pub.awaitIdle(60_000), "published: " + pub.problem());
                pub.submit(snapshot(student, "weights B"));
                assertTrue(pub.awaitIdle(60_000), "published: " + pub.problem());
            }
            assertEquals(List.of(2L, 3L), announced.stream().map(CheckpointManifest::version).toList(),
                    "v1 holds objects: the first checkpoint became v2");
            assertArrayEquals(leftover, store.getObject(leftoverKey), "what was under v1 is untouched");
            assertEquals(List.of(leftoverKey), store.objects(student, 1), "nothing was added under v1");
            assertArrayEquals("weights A".getBytes(StandardCharsets.UTF_8), store.fetch(store.manifest(student, 2)));
        }
    }

    @Test
    void aLeaseHeldByAnotherTrainerStopsPublicationLoudly(LocalStack stack) throws Exception {
        String student = "other-writer-" + System.nanoTime() % 1_000_000;
        AtomicLong clock = new AtomicLong(5_000_000);
        try (CheckpointStore store = store(stack)) {
            WriterLease other = new WriterLease(store, student, "owner-other", "host-other", 30_000, clock::get);
            other.acquire();
            WriterLease ours = new WriterLease(store, student, "owner-ours", "host-ours", 30_000, clock::get);
            List<CheckpointManifest> announced = new CopyOnWriteArrayList<>();
            try (CheckpointPublisher pub = new CheckpointPublisher(store, announced::add, QUICK, 5, 0, c -> { },
                    ours::otherWriter)) {
                pub.submit(snapshot(student, "weights"));
                assertTrue(pub.awaitIdle(60_000));
                assertTrue(pub.problem() != null && pub.problem().contains("owner-other on host-other")
                        && pub.problem().contains("stops publishing"), String.valueOf(pub.problem()));
            }
            assertEquals(List.of(), announced, "nothing announced");
            assertEquals(List.of(), store.versions(student), "nothing stored");
        }
    }

    private static CheckpointSnapshot snapshot(String student, String weights) {
        byte[] onnx = weights.getBytes(StandardCharsets.UTF_8);
        byte[] state = ("state of " + weights).getBytes(StandardCharsets.UTF_8);
        CheckpointManifest draft = new CheckpointManifest(CheckpointManifest.SCHEMA_VERSION, student, 1, null,
                CheckpointStore.sha256(onnx), onnx.length, 10, List.of(3), "polynomial(rho=7)", "mixture2d",
                Map.of(), "2026-12-07T00:00:00Z", null, CheckpointStore.sha256(state), (long) state.length, 64L,
                null, "sfd.trajectories", Map.of("0", 64L), 0, "test");
        return new CheckpointSnapshot(onnx, state, draft, Map.of(0, 64L));
    }

    private static CheckpointStore store(LocalStack stack) {
        var e = stack.endpoints();
        return new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(),
                null));
    }
}
