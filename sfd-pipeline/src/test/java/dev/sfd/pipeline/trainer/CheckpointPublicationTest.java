package dev.sfd.pipeline.trainer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.distill.SfdConfig;
import dev.sfd.core.distill.SfdStudentTrainer;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Publisher, retention, resume point and writer lease on the real S3 server of the local stack. */
@ExtendWith(LocalStackExtension.class)
class CheckpointPublicationTest {

    private static CheckpointStore store(LocalStack stack) {
        var e = stack.endpoints();
        return new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(), e.secretKey(), e.bucket(),
                null));
    }

    /** Three real snapshots of a training run, one after each pair of batches. */
    private static List<CheckpointSnapshot> snapshots(String student) {
        SfdConfig config = TrajectoryFixture.config(8, 10_000);
        List<TrajectoryRecord> records = TrajectoryFixture.records(TrajectoryFixture.blocks(config, "c", 48, 7000, 4),
                0);
        try (SfdStudentTrainer trainer = TrajectoryFixture.trainer(config)) {
            TrainerSettings s = new TrainerSettings(student, "sfd.trajectories", 8, 3, 1, TrajectoryFixture.CACHE,
                    new CheckpointPolicy(4, 0), "test");
            TrainerStage stage = new TrainerStage(trainer, TrajectoryExpectation.of(TrajectoryFixture.INFO, config),
                    s, 0);
            List<CheckpointSnapshot> out = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                stage.accept(stage.newIntake().checkAll(records.subList(i * 4, (i + 1) * 4)));
                out.add(stage.snapshot(0));
            }
            return out;
        }
    }

    @Test
    void storesInOrderRetriesTheAnnouncementAndKeepsTheNewestVersions(LocalStack stack) throws Exception {
        String student = "pub-" + System.nanoTime() % 1_000_000;
        List<CheckpointSnapshot> snaps = snapshots(student);
        List<CheckpointManifest> announced = new CopyOnWriteArrayList<>();
        List<CheckpointPublisher.StoredCheckpoint> published = new CopyOnWriteArrayList<>();
        AtomicInteger failures = new AtomicInteger(2); // the event topic refuses twice: retried
        try (CheckpointStore store = store(stack);
                CheckpointPublisher pub = new CheckpointPublisher(store, m -> {
                    if (failures.getAndDecrement() > 0) {
                        throw new IllegalStateException("broker unavailable (test)");
                    }
                    announced.add(m);
                }, new Backoff(java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(200)), 2, 0,
                        published::add)) {
            for (CheckpointSnapshot s : snaps) {
                pub.submit(s);
                assertTrue(pub.awaitIdle(60_000), "published: " + pub.problem());
            }
            assertEquals(List.of(1L, 2L, 3L), announced.stream().map(CheckpointManifest::version).toList());
            assertEquals(snaps.get(2).offsets(), published.get(2).offsets());
            assertEquals(List.of(2L, 3L), store.versions(student), "keep-versions 2: v1 deleted");
            CheckpointManifest v3 = store.manifest(student, 3);
            assertArrayEquals(snaps.get(2).onnx(), store.fetch(v3));
            assertArrayEquals(snaps.get(2).state(), store.fetchState(v3));
            assertEquals(announced.get(2), v3, "the event is the stored manifest");

            // the newest version damaged: the resume point is the newest complete one
            store.putObject(v3.objectKey(), "garbage".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
            ResumePoint.Found found = ResumePoint.newest(store, student);
            assertEquals(3, found.newestVersion());
            assertEquals(2, found.point().orElseThrow().manifest().version());
            assertTrue(found.skipped().get(0).startsWith("v3: "), found.skipped().toString());
        }
    }

    @Test
    void aSecondWriterIsRefusedWhileTheFirstRenewsAndTakesOverAStaleLease(LocalStack stack) throws Exception {
        String student = "lease-" + System.nanoTime() % 1_000_000;
        AtomicLong clock = new AtomicLong(1_000_000);
        try (CheckpointStore store = store(stack)) {
            WriterLease a = new WriterLease(store, student, "owner-a", "host-a", 400, clock::get);
            a.acquire();
            Thread renewer = new Thread(() -> {
                for (int i = 0; i < 40 && !Thread.currentThread().isInterrupted(); i++) {
                    clock.addAndGet(50);
                    try {
                        a.renew();
                    } catch (IllegalStateException interruptedUpload) {
                        return;
                    }
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            renewer.start();
            WriterLease b = new WriterLease(store, student, "owner-b", "host-b", 400, clock::get);
            IllegalStateException refused = assertThrows(IllegalStateException.class, b::acquire);
            assertTrue(refused.getMessage().contains("owner-a"), refused.getMessage());
            renewer.interrupt();
            renewer.join();
            assertTrue(a.stillMine());
            clock.addAndGet(1000); // owner a stopped renewing long ago: its lease is stale
            b.acquire();
            assertTrue(b.stillMine());
            assertTrue(!a.stillMine(), "a sees its lease taken and must stop publishing");
            assertEquals("owner-b", b.read().get("owner"));
        }
    }
}
