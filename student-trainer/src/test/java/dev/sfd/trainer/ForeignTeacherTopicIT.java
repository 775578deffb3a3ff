package dev.sfd.trainer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sfd.contract.DeadLetterHeaders;
import dev.sfd.core.store.CheckpointManifest;
import dev.sfd.core.store.CheckpointStore;
import dev.sfd.core.store.ObjectStoreSettings;
import dev.sfd.core.store.TrainerState;
import dev.sfd.core.trajectory.TrajectoryBlock;
import dev.sfd.stack.LocalStack;
import dev.sfd.stack.LocalStackExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 27, defect 10, in the packaged service with exactly the sequence that was found: the
 * trajectory topic still holds another teacher's blocks, then one prompt of the right teacher
 * arrives. The trainer dead-letters every foreign block (whole: nothing of it stays pending), trains
 * every new trajectory and, with checkpoints by steps or time switched off, publishes the
 * end-of-input checkpoint, so a sampler can serve.
 */
@ExtendWith(LocalStackExtension.class)
class ForeignTeacherTopicIT {

    @Test
    void foreignBlocksAreDeadLetteredAndTheNewPromptIsTrainedAndCheckpointedAtEndOfInput(LocalStack stack)
            throws Exception {
        String run = "foreign" + System.nanoTime();
        String topic = "foreign.trajectories." + run;
        String dlq = topic + ".dlq";
        try (var admin = stack.newAdmin()) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1), new NewTopic(dlq, 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // another teacher's trajectories (same model shape, other sha256), then the right teacher's prompt
        List<TrajectoryBlock> foreign = TrajectoryProducer.blocks(TrajectoryProducer.TEACHER, "old-prompt", 1, 640, 64,
                "ab".repeat(32));
        List<TrajectoryBlock> mine = TrajectoryProducer.blocks(TrajectoryProducer.TEACHER, "new-prompt", 7, 300, 64,
                TrajectoryProducer.INFO.sha256());
        try (KafkaProducer<String, byte[]> producer = TrajectoryProducer.producer(stack.bootstrapServers())) {
            TrajectoryProducer.send(producer, topic, foreign);
            TrajectoryProducer.send(producer, topic, mine);
        }
        String student = "foreign-" + System.nanoTime() % 100000;
        var e = stack.endpoints();
        StudentTrainerProcessIT.Service service = StudentTrainerProcessIT.Service.start(stack, student, run,
                List.of("-Dsfd.topic.trajectories=" + topic, "-Dsfd.topic.trajectories-dlq=" + dlq,
                        "-Dsfd.trainer.group-id=" + run, "-Dsfd.trainer.checkpoint-every-steps=0",
                        "-Dsfd.trainer.checkpoint-every=24h", "-Dsfd.trainer.idle-end=3s"));
        try (CheckpointStore store = new CheckpointStore(new ObjectStoreSettings(e.s3Endpoint(), e.accessKey(),
                e.secretKey(), e.bucket(), null))) {
            CheckpointManifest done = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            while (done == null && System.nanoTime() < deadline) {
                service.requireAlive();
                for (long v : store.versions(student)) {
                    done = store.manifest(student, v);
                }
                Thread.sleep(300);
            }
            assertTrue(done != null, "no end-of-input checkpoint within 180 s:\n" + service.tail());
            assertEquals(300L, done.trajectoriesSeen(), "every trajectory of the right teacher trained");
            assertTrue(service.log().contains("end of input: checkpointing"), service.tail());
            TrainerState state = TrainerState.fromBytes(store.fetchState(done));
            assertEquals(new HashSet<>(TrajectoryProducer.ids(mine)), new HashSet<>(state.appliedTrajectoryIds()));
            assertEquals(300, state.appliedTrajectoryIds().size(), "none twice");

            List<String> reasons = deadLetters(stack.bootstrapServers(), dlq, foreign.size());
            assertEquals(foreign.size(), reasons.size(), "every foreign block dead-lettered, once: " + reasons);
            reasons.forEach(r -> assertTrue(r.startsWith("[TEACHER_MISMATCH]") && r.contains("teacher_sha256"), r));
        } finally {
            service.stop();
        }
    }

    /** The reasons of the dead letters on {@code topic}, waiting for at least {@code expected}. */
    static List<String> deadLetters(String bootstrap, String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "it-dlq-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<String> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            int quiet = 0;
            while (System.nanoTime() < deadline && (out.size() < expected || quiet < 4)) {
                var records = c.poll(Duration.ofMillis(500));
                quiet = records.isEmpty() ? quiet + 1 : 0;
                for (ConsumerRecord<String, byte[]> r : records) {
                    out.add(new String(r.headers().lastHeader(DeadLetterHeaders.REASON).value(), StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }
}
