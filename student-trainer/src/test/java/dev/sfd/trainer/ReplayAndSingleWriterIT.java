package dev.sfd.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The packaged service on its own topic: two replay passes train every trajectory once per pass,
 * and a second trainer for the same student name refuses to start while the first one is alive.
 */
@ExtendWith(LocalStackExtension.class)
class ReplayAndSingleWriterIT {

    @Test
    void twoPassesOverTheTopicAndASecondWriterIsRefused(LocalStack stack) throws Exception {
        int count = 64;
        String student = "replay-student";
        String topic = "replay.trajectories." + System.nanoTime();
        try (var admin = stack.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        List<TrajectoryBlock> blocks = TrajectoryProducer.blocks(TrajectoryProducer.TEACHER, "replay", 60_000, count,
                16, TrajectoryProducer.INFO.sha256()); // 4 blocks over 2 partitions
        try (KafkaProducer<String, byte[]> producer = TrajectoryProducer.producer(stack.bootstrapServers())) {
            TrajectoryProducer.send(producer, topic, blocks);
        }
        List<String> options = List.of("-Dsfd.topic.trajectories=" + topic, "-Dsfd.trainer.group-id=replay-group",
                "-Dsfd.trainer.replay-passes=2", "-Dsfd.trainer.idle-end=3s",
                "-Dsfd.trainer.checkpoint-every-steps=1000");
        var e = stack.endpoints();
        StudentTrainerProcessIT.Service first = StudentTrainerProcessIT.Service.start(stack, student, "replay", options);
        try (CheckpointStore store = new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(),
                e.secretKey(), e.bucket(), null))) {
            StudentTrainerProcessIT.Service second = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
            CheckpointManifest done = null;
            while (done == null && System.nanoTime() < deadline) {
                first.requireAlive();
                if (second == null && first.log().contains("ready: teacher")) {
                    second = StudentTrainerProcessIT.Service.start(stack, student, "replay-2", options);
                }
                for (long v : store.versions(student)) {
                    CheckpointManifest m = store.manifest(student, v);
                    if (m.pass() != null && m.pass() == 2 && m.trajectoriesSeen() == 2L * count) {
                        done = m;
                    }
                }
                Thread.sleep(500);
            }
            assertTrue(done != null, "no checkpoint of pass 2 with " + 2 * count + " trajectories:\n" + first.tail());
            TrainerState state = TrainerState.fromBytes(store.fetchState(done));
            assertEquals(2, state.pass());
            assertEquals(count, new HashSet<>(state.appliedTrajectoryIds()).size(), "each trajectory once in pass 2");
            assertEquals(count, state.appliedTrajectoryIds().size(), "none twice");
            assertTrue(first.log().contains("replaying the local block cache"), first.tail());
            // the replay did not seek the group back: its committed offsets are at the end of the first pass
            try (var admin = stack.newAdmin()) {
                long committed = admin.listConsumerGroupOffsets("replay-group").partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS).values().stream().mapToLong(o -> o.offset()).sum();
                assertEquals(blocks.size(), committed, "committed offsets = first-pass progress (lag 0)");
            }
            assertTrue(second != null && second.process().waitFor(120, TimeUnit.SECONDS),
                    "the second writer must stop by itself");
            assertNotEquals(0, second.process().exitValue());
            assertTrue(second.log().contains("another trainer"), second.tail());
        } finally {
            first.stop();
        }
    }
}
